using System.Text.Json;
using System.Text.Json.Serialization;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// What a feature says, whatever the channel: text (Markdown), Adaptive Cards, the short summary a channel shows in
/// notifications, and the people to @mention. Protocol turns it into one activity; features never see the wire schema.
/// It is also the payload the outbox stores, so it serialises to a small, stable JSON of its own.
/// </summary>
/// <remarks>
/// A message with cards goes out as the cards alone: a text next to a card is shown inside the card (as its first
/// line, unless the card already says it) and becomes the summary. Teams and its emulator split text and card into two
/// messages and then answer without the activity id that updating the card in place needs.
/// </remarks>
public sealed record BotMessage
{
    public string? Text { get; init; }

    /// <summary>Adaptive Card contents (the card JSON itself), sent as attachments.</summary>
    public IReadOnlyList<JsonElement> Cards { get; init; } = [];

    /// <summary>
    /// The cards as Teams shows them, where each viewer can get a view of their own (<c>refresh</c> with user ids, a
    /// button that answers with the clicker's own card): when given, Teams gets these instead of <see cref="Cards"/>,
    /// which stay what clients without per-viewer cards (Web Chat) show to everyone.
    /// </summary>
    public IReadOnlyList<JsonElement> TeamsCards { get; init; } = [];

    /// <summary>The notification preview; channels show it where they cannot show the card.</summary>
    public string? Summary { get; init; }

    /// <summary>
    /// People to @mention (Teams notifies them). Where <see cref="Text"/> contains <see cref="Mention"/> of a person,
    /// the mention goes there; people the text does not place are mentioned at its end.
    /// </summary>
    public IReadOnlyList<Person> Mentions { get; init; } = [];

    [JsonIgnore]
    public bool IsEmpty => string.IsNullOrEmpty(Text) && Cards.Count == 0;

    public static implicit operator BotMessage(string text) => new() { Text = text };

    /// <summary>A card with a line of text the client shows with it (see the remarks: inside the card).</summary>
    public static BotMessage WithCard(string? text, JsonElement card, string? summary = null) =>
        new() { Text = text, Cards = [card], Summary = summary };

    /// <summary>A card that says everything itself; <paramref name="summary"/> is the notification preview.</summary>
    public static BotMessage CardAlone(JsonElement card, string summary) => new() { Cards = [card], Summary = summary };

    /// <summary>Where in <see cref="Text"/> to mention the person with this user id (who must be in <see cref="Mentions"/>).</summary>
    public static string Mention(string userId) => "@{" + userId + "}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Reads a stored payload. Payloads written before this type existed are Activity JSON (text plus attachments);
    /// they are read into the same shape so that notices queued before an upgrade still go out.
    /// </summary>
    public static BotMessage FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("attachments", out var attachments))
            return JsonSerializer.Deserialize<BotMessage>(root, Json) ?? new BotMessage();
        var legacy = JsonSerializer.Deserialize<Activity>(root, ProtocolJson.Options)!;
        return new BotMessage
        {
            Text = legacy.Text,
            Summary = legacy.Summary,
            Cards = legacy.Attachments?.Where(a => a.ContentType == Attachments.AdaptiveCard && a.Content is not null)
                .Select(a => a.Content!.Value.Clone()).ToList() ?? [],
        };
    }

    /// <summary>The activity for this message on <paramref name="channelId"/>; conversation, sender and ids are the caller's to fill in.</summary>
    internal Activity ToActivity(string channelId)
    {
        var mentions = MessageMentions.Render(MarkdownLists.Separate(Text), Mentions, channelId);
        var activity = new Activity { Type = ActivityTypes.Message };
        if (Cards.Count == 0)
        {
            activity.Text = mentions.Text;
            activity.Summary = Summary;
            activity.Entities = mentions.Entities.Count == 0 ? null : mentions.Entities;
            return activity;
        }
        var summary = Summary ?? mentions.Plain;
        activity.Summary = summary;
        var cards = channelId == PersonalConversations.Teams && TeamsCards.Count > 0 ? TeamsCards : Cards;
        activity.Attachments = cards.Select((card, i) => new Attachment
        {
            ContentType = Attachments.AdaptiveCard,
            Content = CardWire.ForChannel(card, channelId, i == 0 ? mentions : null, summary),
        }).ToList();
        return activity;
    }
}

internal static class Attachments
{
    public const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";
}
