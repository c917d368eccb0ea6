using Rollout.Bot.Cards;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Bulletins;

/// <summary>
/// The bulletin as an Adaptive Card for the operations channel: a title, then one text block per paragraph of the
/// bulletin text (the same text that is kept in the archive, so card and archive never disagree).
/// </summary>
public static class BulletinCard
{
    public static AdaptiveCard Build(string meeting, string text)
    {
        var body = new List<CardElement> { new TextBlock($"Bulletin for the {meeting}", Size: "Large", Weight: "Bolder") };
        foreach (var paragraph in text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            body.Add(new TextBlock(paragraph));
        // Clients that cannot draw the card show the same text instead: the bulletin is posted once, as the card.
        return new AdaptiveCard(body) { FallbackText = text };
    }

    /// <summary>The channel message: the card alone (it carries the whole text), with the title as the notification preview.</summary>
    public static BotMessage ToMessage(string meeting, string text) =>
        BotMessage.CardAlone(Build(meeting, text).ToJson(), $"Bulletin for the {meeting}");
}
