using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

/// <summary>A card click (<see cref="CardClick"/>) as a verb handler gets it. The data came from the client.</summary>
public sealed record CardActionContext(TurnContext Turn, CardClick Click, IServiceProvider Services, CancellationToken Cancellation)
{
    public string Verb => Click.Verb;
    public bool IsExecute => Click.IsExecute;
    public string? GetString(string name) => Click.Get(name);
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
}

public static class CardVerbRegistration
{
    public static IServiceCollection AddCardVerb(this IServiceCollection services, CardVerbDefinition definition) =>
        services.AddSingleton(definition);
}
