using System.Text.Json;
using System.Text.Json.Serialization;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// What a feature says, whatever the channel: text (Markdown), Adaptive Cards, and the short summary a channel shows
/// in notifications. Protocol turns it into an Activity; features never see the wire schema. It is also the payload
/// the outbox stores, so it serialises to a small, stable JSON of its own.
/// </summary>
public sealed record BotMessage
{
    public string? Text { get; init; }

    /// <summary>Adaptive Card contents (the card JSON itself), sent as attachments.</summary>
    public IReadOnlyList<JsonElement> Cards { get; init; } = [];

    /// <summary>The notification preview; channels show it where they cannot show the card.</summary>
    public string? Summary { get; init; }

    [JsonIgnore]
    public bool IsEmpty => string.IsNullOrEmpty(Text) && Cards.Count == 0;

    public static implicit operator BotMessage(string text) => new() { Text = text };

    public static BotMessage WithCard(string? text, JsonElement card, string? summary = null) =>
        new() { Text = text, Cards = [card], Summary = summary };

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

    /// <summary>The activity for this message; conversation, sender and ids are the caller's to fill in.</summary>
    internal Activity ToActivity() => new()
    {
        Type = ActivityTypes.Message,
        Text = Text,
        Summary = Summary,
        Attachments = Cards.Count == 0 ? null
            : Cards.Select(c => new Attachment { ContentType = Attachments.AdaptiveCard, Content = c }).ToList(),
    };
}

internal static class Attachments
{
    public const string AdaptiveCard = "application/vnd.microsoft.card.adaptive";
}
