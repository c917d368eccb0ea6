using System.Net;
using System.Text.Json;

namespace Rollout.Bot.Protocol;

/// <summary>A message's text with its mentions rendered for one channel, the same text without markup, and Teams' mention entities.</summary>
internal sealed record RenderedText(string? Text, string? Plain, List<JsonElement> Entities);

/// <summary>
/// Renders <see cref="BotMessage.Mention"/> tokens. Teams needs <c>&lt;at&gt;Name&lt;/at&gt;</c> in the text and a mention
/// entity naming the person's Teams id with exactly that text; other channels have no mentions and get the name in bold.
/// </summary>
internal static class MessageMentions
{
    public static RenderedText Render(string? text, IReadOnlyList<Person> people, string channelId)
    {
        if (people.Count == 0) return new(text, text, []);
        var teams = channelId == PersonalConversations.Teams;
        var rendered = text ?? "";
        var plain = text ?? "";
        var entities = new List<JsonElement>();
        var unplaced = new List<(string Markup, string Plain)>();
        foreach (var person in people.DistinctBy(p => p.Id))
        {
            var name = string.IsNullOrWhiteSpace(person.Name) ? person.Id : person.Name.Trim();
            var markup = teams ? $"<at>{WebUtility.HtmlEncode(name)}</at>" : $"**@{name}**";
            if (teams)
                entities.Add(JsonSerializer.SerializeToElement(new { type = "mention", text = markup, mentioned = new { id = person.Id, name } }));
            var token = BotMessage.Mention(person.Id);
            if (rendered.Contains(token, StringComparison.Ordinal))
            {
                rendered = rendered.Replace(token, markup, StringComparison.Ordinal);
                plain = plain.Replace(token, "@" + name, StringComparison.Ordinal);
            }
            else
            {
                unplaced.Add((markup, "@" + name));
            }
        }
        if (unplaced.Count > 0)
        {
            var separator = rendered.Length == 0 ? "" : " ";
            rendered += separator + string.Join(", ", unplaced.Select(u => u.Markup));
            plain += separator + string.Join(", ", unplaced.Select(u => u.Plain));
        }
        return new(rendered, plain, entities);
    }
}
