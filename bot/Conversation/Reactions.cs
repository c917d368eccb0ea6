using System.Collections.Concurrent;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>
/// An entity whose operations return typed changes (a ticket: a state move, a site accepted…). The changes wait on
/// the entity until the command's pipeline hands them, once, to the reactions registered for them.
/// </summary>
public interface IChangeSource
{
    /// <summary>The changes recorded since the last call, in the order they happened; the list is then empty.</summary>
    IReadOnlyList<object> TakeChanges();
}

/// <summary>What a reaction gets besides the entity and its change: the command's database (inside its transaction), who, when.</summary>
public sealed record ReactionContext(RolloutDb Db, Actor By, DateTimeOffset Now, CancellationToken Ct);

/// <summary>
/// One reaction as a feature registers it: a name (unique, for logs and start-up checks), the entity type and the
/// change type it reacts to, and the handler, bound once at start-up from the feature's own services.
/// <see cref="Change"/> null means "once per entity per command, with all its changes".
/// </summary>
public sealed record ReactionDefinition(
    string Name, Type Source, Type? Change, Func<IServiceProvider, Func<ReactionContext, object, object, Task>> Bind);

/// <summary>
/// Every reaction of every feature, registered explicitly (grep <c>AddReaction</c> finds them all; a duplicate name
/// stops the bot at start-up). <see cref="PublishAsync"/> runs them inside the command's transaction, so the
/// command, the notices and the reminders its changes cause commit together or not at all.
/// </summary>
public sealed class Reactions
{
    private const int MaxRounds = 5;
    private readonly List<ReactionDefinition> _definitions = [];
    private readonly Lazy<List<(ReactionDefinition Definition, Func<ReactionContext, object, object, Task> Run)>> _bound;
    private readonly ConcurrentDictionary<(Type, Type), IReadOnlyList<Func<ReactionContext, object, object, Task>>> _perChange = new();

    public Reactions(IEnumerable<ReactionDefinition> definitions, IServiceProvider services)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!names.Add(definition.Name)) throw new InvalidOperationException($"The reaction '{definition.Name}' is registered twice.");
            _definitions.Add(definition);
        }
        // Bound on first use, not here: reactions use services (reminders, say) whose own work publishes changes.
        _bound = new(() => _definitions.Select(d => (d, d.Bind(services))).ToList());
    }

    public IReadOnlyList<ReactionDefinition> All => _definitions;

    /// <summary>Binds every reaction now, so that a reaction whose services cannot be built stops the bot at start-up.</summary>
    public void Bind() => _ = _bound.Value;

    /// <summary>
    /// Hands the changes waiting on tracked entities to their reactions: per change first, then once per entity.
    /// A reaction may change entities in turn; those changes get a round of their own, a bounded number of times.
    /// Returns how many changes were handled.
    /// </summary>
    public async Task<int> PublishAsync(RolloutDb db, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        var context = new ReactionContext(db, by, now, ct);
        var handled = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var pending = db.ChangeTracker.Entries().Select(e => e.Entity).OfType<IChangeSource>()
                .Select(source => (Source: (object)source, Changes: source.TakeChanges())).Where(p => p.Changes.Count > 0).ToList();
            if (pending.Count == 0) return handled;
            foreach (var (source, changes) in pending)
            {
                foreach (var change in changes)
                    foreach (var run in For(source.GetType(), change.GetType()))
                        await run(context, source, change);
                foreach (var (definition, run) in _bound.Value)
                    if (definition.Change is null && definition.Source.IsInstanceOfType(source))
                        await run(context, source, changes);
                handled += changes.Count;
            }
        }
        throw new InvalidOperationException($"Reactions kept causing new changes after {MaxRounds} rounds.");
    }

    private IReadOnlyList<Func<ReactionContext, object, object, Task>> For(Type source, Type change) =>
        _perChange.GetOrAdd((source, change), key => _bound.Value
            .Where(r => r.Definition.Change is not null && r.Definition.Source.IsAssignableFrom(key.Item1) && r.Definition.Change.IsAssignableFrom(key.Item2))
            .Select(r => r.Run).ToList());
}

public static class ReactionRegistration
{
    /// <summary>Reacts to one kind of change of one kind of entity.</summary>
    public static IServiceCollection AddReaction<TSource, TChange>(this IServiceCollection services, string name,
        Func<IServiceProvider, Func<ReactionContext, TSource, TChange, Task>> bind) =>
        services.AddSingleton(new ReactionDefinition(name, typeof(TSource), typeof(TChange), sp =>
        {
            var run = bind(sp);
            return (ctx, source, change) => run(ctx, (TSource)source, (TChange)change);
        }));

    /// <summary>Reacts once per command to everything that happened to an entity (e.g. to redraw its card).</summary>
    public static IServiceCollection AddReactionToAll<TSource, TChange>(this IServiceCollection services, string name,
        Func<IServiceProvider, Func<ReactionContext, TSource, IReadOnlyList<TChange>, Task>> bind) =>
        services.AddSingleton(new ReactionDefinition(name, typeof(TSource), null, sp =>
        {
            var run = bind(sp);
            return (ctx, source, changes) => run(ctx, (TSource)source, ((IReadOnlyList<object>)changes).Cast<TChange>().ToList());
        }));
}
