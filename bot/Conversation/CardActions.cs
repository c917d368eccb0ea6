using System.Text.Json;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>
/// A click on a card button, whichever way it arrived: <c>Action.Submit</c> (a message whose value carries
/// the data) or <c>Action.Execute</c> (an <c>adaptiveCard/action</c> invoke). The data came from the client:
/// handlers re-check who is asking and the state of what the data names.
/// </summary>
public sealed record CardActionContext(
    TurnContext Turn, string Verb, JsonElement Data, bool IsExecute, IServiceProvider Services, CancellationToken Cancellation)
{
    public string? GetString(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;
}

public sealed record CardVerbDefinition(string Verb, Func<CardActionContext, Task> Handler);

/// <summary>Every card verb of every feature; a duplicate verb stops the bot at start-up.</summary>
public sealed class CardActionRegistry
{
    private readonly Dictionary<string, CardVerbDefinition> _verbs = new(StringComparer.Ordinal);

    public CardActionRegistry(IEnumerable<CardVerbDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            if (!_verbs.TryAdd(definition.Verb, definition))
                throw new InvalidOperationException($"The card verb '{definition.Verb}' is registered twice.");
        }
    }

    public IReadOnlyCollection<string> Verbs => _verbs.Keys;

    public CardVerbDefinition? Find(string verb) => _verbs.GetValueOrDefault(verb);

    /// <summary>Reads verb and data from a Submit message value or an Execute invoke value.</summary>
    public static (string Verb, JsonElement Data, bool IsExecute)? Extract(TurnContext turn)
    {
        if (turn.Value is not { ValueKind: JsonValueKind.Object } value) return null;
        if (turn.IsInvoke && turn.Activity.Name == "adaptiveCard/action")
        {
            if (!value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object) return null;
            var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var data = action.TryGetProperty("data", out var d) ? d : default;
            if (string.IsNullOrEmpty(verb) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("verb", out var dv) && dv.ValueKind == JsonValueKind.String)
                verb = dv.GetString();
            return string.IsNullOrEmpty(verb) ? null : (verb!, data, true);
        }
        if (!turn.IsInvoke && value.TryGetProperty("verb", out var submitVerb) && submitVerb.ValueKind == JsonValueKind.String)
        {
            return (submitVerb.GetString()!, value, false);
        }
        return null;
    }
}

public static class CardVerbRegistration
{
    public static IServiceCollection AddCardVerb(this IServiceCollection services, CardVerbDefinition definition) =>
        services.AddSingleton(definition);
}
