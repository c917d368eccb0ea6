using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rollout.Bot.Cards;

/// <summary>
/// Adaptive Card 1.5 as typed records, serialized with System.Text.Json (the .NET AdaptiveCards package does not
/// restore here). Only the elements the bot uses; each knows its own "type". Version 1.5 is what Teams renders in
/// full, and 1.4 is the least that carries <c>Action.Execute</c> and <c>refresh</c>.
/// </summary>
public sealed record AdaptiveCard(IReadOnlyList<CardElement> Body, IReadOnlyList<CardAction>? Actions = null)
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    [JsonPropertyName("$schema")]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";
    public string Type => "AdaptiveCard";
    public string Version => "1.5";

    /// <summary>What a client that cannot render the card shows instead (and what notification previews fall back to).</summary>
    public string? FallbackText { get; init; }

    /// <summary>Asks Teams for each listed person's own view of the card when they look at it (<see cref="CardRefresh"/>).</summary>
    public CardRefresh? Refresh { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public JsonElement ToJson() => JsonSerializer.SerializeToElement(this, Json);

    /// <summary>
    /// This card, shown to <paramref name="userIds"/> as each one's own view: Teams sends the refresh verb for each of
    /// them and shows the card the bot answers with. Teams refreshes on its own for at most
    /// <see cref="CardRefresh.MaxUsers"/> people; past that nobody is refreshed automatically, so the card gets a
    /// Refresh button that anyone can press for their own view instead.
    /// </summary>
    public AdaptiveCard WithRefresh(string verb, IReadOnlyDictionary<string, string> data, IReadOnlyCollection<string> userIds)
    {
        var automatic = userIds.Count <= CardRefresh.MaxUsers;
        var refresh = new CardRefresh(new ExecuteAction("Refresh", verb, data), automatic ? userIds.Distinct().ToList() : []);
        // A card that already has a button for the same view (a "My actions") needs no second one.
        if (automatic || (Actions ?? []).Any(a => a is ExecuteAction e && e.Verb == verb)) return this with { Refresh = refresh };
        var actions = (Actions ?? []).Append(new ExecuteAction("Refresh", verb, data)).ToList();
        return this with { Refresh = refresh, Actions = actions };
    }
}

/// <summary>
/// The card's <c>refresh</c>: the Execute action Teams invokes (trigger "automatic") for each of <c>UserIds</c> when they
/// see the card. An empty list means nobody is refreshed automatically.
/// </summary>
public sealed record CardRefresh(CardAction Action, IReadOnlyList<string> UserIds)
{
    /// <summary>Teams refreshes a card automatically for at most this many users.</summary>
    public const int MaxUsers = 60;
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(ChoiceInput), "Input.ChoiceSet")]
public abstract record CardElement;

/// <summary>A paragraph (Markdown: lists render as lists); <c>Color</c> "Attention" for what must not be missed.</summary>
public sealed record TextBlock(string Text, string? Size = null, string? Weight = null, bool? Wrap = true, string? Color = null) : CardElement;

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
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
public abstract record CardAction;

/// <summary>Posts the inputs back as a message whose value is <c>Data</c> merged with the inputs, keyed by input id.</summary>
public sealed record SubmitAction(string Title, IReadOnlyDictionary<string, string> Data) : CardAction;

/// <summary>
/// A Universal Action: Teams sends an <c>adaptiveCard/action</c> invoke with the verb and <c>Data</c> merged with the
/// inputs, and shows the clicker the card or refusal the bot answers with. Clients that do not know Action.Execute
/// use its <c>fallback</c>, an Action.Submit whose data carries the same verb, so one handler serves both.
/// </summary>
public sealed record ExecuteAction : CardAction
{
    public ExecuteAction(string title, string verb, IReadOnlyDictionary<string, string>? data = null)
    {
        Title = title;
        Verb = verb;
        Data = new Dictionary<string, string>(data ?? new Dictionary<string, string>(), StringComparer.Ordinal) { ["verb"] = verb };
    }

    public string Title { get; }
    public string Verb { get; }
    public IReadOnlyDictionary<string, string> Data { get; }
    public CardAction Fallback => new SubmitAction(Title, Data);
}

/// <summary>Opens <c>Card</c> (a form, say) inside the card; its own actions submit the form's inputs.</summary>
public sealed record ShowCardAction(string Title, AdaptiveCard Card) : CardAction;
