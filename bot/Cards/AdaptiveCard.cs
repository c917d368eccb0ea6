using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rollout.Bot.Cards;

/// <summary>
/// Adaptive Card 1.5 as typed records, serialized with System.Text.Json (the .NET AdaptiveCards package does not
/// restore here). Only the elements the bot uses; each knows its own "type".
/// </summary>
public sealed record AdaptiveCard(IReadOnlyList<CardElement> Body, IReadOnlyList<CardAction>? Actions = null)
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    [JsonPropertyName("$schema")]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";
    public string Type => "AdaptiveCard";
    public string Version => "1.5";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, Json);
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(ChoiceInput), "Input.ChoiceSet")]
public abstract record CardElement;

public sealed record TextBlock(string Text, string? Size = null, string? Weight = null, bool? Wrap = true) : CardElement;

public sealed record Fact(string Title, string Value);

public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

/// <summary>A text field; <c>Style</c> "Url" gives URL keyboards, <c>IsMultiline</c> a text area.</summary>
public sealed record TextInput(
    string Id, string Label, bool IsRequired = false, string? Placeholder = null, string? Style = null,
    string? ErrorMessage = null, bool? IsMultiline = null) : CardElement;

public sealed record Choice(string Title, string Value);

public sealed record ChoiceInput(
    string Id, string Label, IReadOnlyList<Choice> Choices, bool IsRequired = false, string? Value = null,
    string Style = "compact", string? ErrorMessage = null) : CardElement;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
public abstract record CardAction;

/// <summary>Posts the inputs back as a message whose value is <c>Data</c> merged with the inputs, keyed by input id.</summary>
public sealed record SubmitAction(string Title, IReadOnlyDictionary<string, string> Data) : CardAction;

/// <summary>Opens <c>Card</c> (a form, say) inside the card; its own actions submit the form's inputs.</summary>
public sealed record ShowCardAction(string Title, AdaptiveCard Card) : CardAction;
