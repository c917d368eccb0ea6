using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>
/// A card button, as the command it runs: a click on <see cref="Verb"/> runs <see cref="Command"/> as the clicker,
/// through the same pipeline and checks as the typed command. <see cref="Positionals"/> builds the words after the
/// command name from the click's data (e.g. <c>#42</c>); only the <see cref="Fields"/> of the data and inputs are
/// passed on, as <c>key=value</c>. Card data comes from the client, so it is never more than what a user could type.
/// </summary>
public sealed record CardVerbDefinition(
    string Verb, string Command, IReadOnlyList<string> Fields, Func<CardClick, IReadOnlyList<string>>? Positionals = null)
{
    public ParsedCommand ToCommand(CardClick click)
    {
        var named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in Fields)
        {
            if (click.Get(field) is { } value && !string.IsNullOrWhiteSpace(value)) named[field] = value;
        }
        var positionals = Positionals?.Invoke(click) ?? [];
        return new ParsedCommand(Command, positionals, named, $"/{Command} {string.Join(' ', positionals)}".TrimEnd());
    }

    /// <summary>The usual first word of a ticket button: <c>#N</c> from the data's <c>ticket</c>, nothing when it has none.</summary>
    public static IReadOnlyList<string> TicketNumber(CardClick click) => click.Get("ticket") is { Length: > 0 } t ? [$"#{t}"] : [];
}

/// <summary>Every card verb of every feature; a duplicate verb, or one naming no command, stops the bot at start-up.</summary>
public sealed class CardActionRegistry
{
    private readonly Dictionary<string, (CardVerbDefinition Verb, CommandDefinition Command)> _verbs = new(StringComparer.Ordinal);

    public CardActionRegistry(IEnumerable<CardVerbDefinition> definitions, CommandRegistry commands)
    {
        foreach (var definition in definitions)
        {
            var command = commands.Find(definition.Command)
                ?? throw new InvalidOperationException($"The card verb '{definition.Verb}' runs '/{definition.Command}', which is not a command.");
            if (!_verbs.TryAdd(definition.Verb, (definition, command)))
                throw new InvalidOperationException($"The card verb '{definition.Verb}' is registered twice.");
        }
    }

    public IReadOnlyCollection<string> Verbs => _verbs.Keys;

    public (CardVerbDefinition Verb, CommandDefinition Command)? Find(string verb) => _verbs.TryGetValue(verb, out var found) ? found : null;
}

public static class CardVerbRegistration
{
    public static IServiceCollection AddCardVerb(this IServiceCollection services, CardVerbDefinition definition) =>
        services.AddSingleton(definition);
}
