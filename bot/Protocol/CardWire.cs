using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rollout.Bot.Protocol;

/// <summary>
/// A card as one channel gets it. Teams gets Universal Actions as built. Other clients (Web Chat, the Emulator) render
/// Action.Execute as a button that does nothing when clicked, so it is replaced by its Action.Submit fallback there, and
/// the Teams-only <c>refresh</c> is dropped. A text sent with the card becomes the card's first line.
/// </summary>
internal static class CardWire
{
    private const string Execute = "Action.Execute";

    public static JsonElement ForChannel(JsonElement card, string channelId, RenderedText? lead, string? summary)
    {
        if (JsonNode.Parse(card.GetRawText()) is not JsonObject root) return card;
        var teams = channelId == PersonalConversations.Teams;
        if (lead?.Text is { Length: > 0 } text && !Shows(root, text))
        {
            if (root["body"] is not JsonArray body) root["body"] = body = [];
            body.Insert(0, new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true });
            if (teams && lead.Entities.Count > 0)
            {
                var msteams = root["msteams"] as JsonObject ?? new JsonObject();
                msteams["entities"] = new JsonArray(lead.Entities.Select(e => JsonNode.Parse(e.GetRawText())).ToArray());
                root["msteams"] = msteams;
            }
        }
        if (root["fallbackText"] is null && !string.IsNullOrEmpty(summary)) root["fallbackText"] = summary;
        if (!teams)
        {
            root.Remove("refresh");
            Downgrade(root);
        }
        return JsonSerializer.SerializeToElement(root);
    }

    /// <summary>True when a top-level TextBlock of the card already says <paramref name="text"/>.</summary>
    private static bool Shows(JsonObject card, string text) =>
        card["body"] is JsonArray body && body.OfType<JsonObject>().Any(e =>
            (string?)e["type"] == "TextBlock" && string.Equals(((string?)e["text"])?.Trim(), text.Trim(), StringComparison.Ordinal));

    /// <summary>Replaces every Action.Execute (actions, show-card forms, select actions) by its fallback, or a Submit with its verb.</summary>
    private static void Downgrade(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonObject action && (string?)action["type"] == Execute) obj[name] = Submit(action);
                    else Downgrade(child);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject action && (string?)action["type"] == Execute) array[i] = Submit(action);
                    else Downgrade(array[i]);
                }
                break;
        }
    }

    private static JsonObject Submit(JsonObject execute)
    {
        if (execute["fallback"] is JsonObject fallback && (string?)fallback["type"] != Execute)
        {
            var copy = fallback.DeepClone().AsObject();
            Downgrade(copy);
            return copy;
        }
        var data = execute["data"] is JsonObject d ? d.DeepClone().AsObject() : new JsonObject();
        if ((string?)execute["verb"] is { } verb) data["verb"] = verb;
        var submit = new JsonObject { ["type"] = "Action.Submit", ["title"] = execute["title"]?.DeepClone(), ["data"] = data };
        if (execute["id"] is { } id) submit["id"] = id.DeepClone();
        return submit;
    }
}
