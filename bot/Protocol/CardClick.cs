using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// A click on a card button, whichever way it arrived: <c>Action.Submit</c> (a message whose value carries the
/// data, the verb among it) or <c>Action.Execute</c> (an <c>adaptiveCard/action</c> invoke with verb and data). The
/// data came from the client: whoever handles the verb re-checks who is asking and what the data names.
/// </summary>
public sealed record CardClick(string Verb, JsonElement Data, bool IsExecute)
{
    public const string ExecuteInvokeName = "adaptiveCard/action";

    /// <summary>
    /// True when nobody clicked: Teams asks for this person's own view of a card with a <c>refresh</c> (trigger
    /// "automatic"). Answer with <see cref="TurnContext.AnswerInvokeWithCard"/>; a refresh must change nothing.
    /// </summary>
    public bool IsRefresh { get; init; }

    /// <summary>A string (or number, as text) the card put in its data or its inputs under <paramref name="name"/>.</summary>
    public string? Get(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Number => v.GetRawText(), _ => null }
            : null;

    internal static CardClick? From(Activity activity)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value) return null;
        if (activity.Type == ActivityTypes.Invoke)
        {
            if (activity.Name != ExecuteInvokeName) return null;
            if (!value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object) return null;
            var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var data = action.TryGetProperty("data", out var d) ? d : default;
            if (string.IsNullOrEmpty(verb) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("verb", out var dv) && dv.ValueKind == JsonValueKind.String)
                verb = dv.GetString();
            var automatic = value.TryGetProperty("trigger", out var trigger) && trigger.ValueKind == JsonValueKind.String
                && string.Equals(trigger.GetString(), "automatic", StringComparison.OrdinalIgnoreCase);
            return string.IsNullOrEmpty(verb) ? null : new CardClick(verb!, data, true) { IsRefresh = automatic };
        }
        if (activity.Type == ActivityTypes.Message && value.TryGetProperty("verb", out var submitVerb) && submitVerb.ValueKind == JsonValueKind.String
            && submitVerb.GetString() is { Length: > 0 } name)
            return new CardClick(name, value, false);
        return null;
    }
}
