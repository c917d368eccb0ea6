using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

public enum ReminderState { Pending, Fired, Cancelled, Failed }

/// <summary>
/// A durable reminder: <see cref="Rule"/> fires for <see cref="Subject"/> (and optionally one site) at <see cref="DueAt"/>.
/// Kept in the database so that a restart or a fail-over neither loses it nor fires it twice.
/// </summary>
public sealed class Reminder
{
    public long Id { get; set; }
    public required string Subject { get; set; }
    public long? SiteId { get; set; }
    public required string Rule { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public string? Payload { get; set; }
    public ReminderState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
    public string? FiredBy { get; set; }
    public string? LastError { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<Reminder>(e =>
    {
        e.ToTable("reminders");
        e.HasKey(r => r.Id);
        e.Property(r => r.State).HasConversion<string>();
    });
}

/// <summary>
/// What a rule's handler gets. <see cref="Db"/> is inside the transaction that claimed the reminder: whatever the
/// handler adds to it (an outbox notice, a follow-up reminder through <see cref="Runner"/>, a ticket change) is
/// committed together with the reminder's "fired" mark, or not at all. Handlers only write to the database; sending
/// happens later, from the outbox.
/// </summary>
public sealed record ReminderFiring(Reminder Reminder, RolloutDb Db, ReminderRunner Runner, DateTimeOffset Now, CancellationToken Cancellation);

/// <summary>
/// A rule name and its handler, registered explicitly per feature with <c>services.AddReminderRule(...)</c>; a rule
/// that needs services gets them in its registration's factory, so they show in its handler's signature.
/// </summary>
public sealed record ReminderRule(string Name, Func<ReminderFiring, Task> Handler);

/// <summary>Every reminder rule; a duplicate name stops the bot at start-up.</summary>
public sealed class ReminderRules
{
    private readonly Lazy<Dictionary<string, ReminderRule>> _rules;

    public ReminderRules(IEnumerable<ReminderRule> rules, IEnumerable<Func<IServiceProvider, ReminderRule>> factories, IServiceProvider services)
    {
        // Bound on first use: rules may need services that themselves schedule reminders.
        _rules = new Lazy<Dictionary<string, ReminderRule>>(() =>
        {
            var all = new Dictionary<string, ReminderRule>(StringComparer.Ordinal);
            foreach (var rule in rules.Concat(factories.Select(f => f(services))))
            {
                if (!all.TryAdd(rule.Name, rule))
                    throw new InvalidOperationException($"The reminder rule '{rule.Name}' is registered twice.");
            }
            return all;
        });
    }

    public IReadOnlyCollection<string> Names => _rules.Value.Keys;

    public ReminderRule? Find(string name) => _rules.Value.GetValueOrDefault(name);
}

public static class ReminderRuleRegistration
{
    public static IServiceCollection AddReminderRule(this IServiceCollection services, ReminderRule rule) =>
        services.AddSingleton(rule);

    public static IServiceCollection AddReminderRule(this IServiceCollection services, Func<IServiceProvider, ReminderRule> rule) =>
        services.AddSingleton(rule);
}
