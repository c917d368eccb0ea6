using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

/// <summary>
/// Schedules, cancels and fires durable reminders. Firing claims each due reminder with a conditional UPDATE
/// (state pending → fired) inside a transaction and runs its rule's handler in that same transaction, so a reminder
/// fires once even with several runners on one database, and a crash before commit leaves it pending for the next sweep.
/// </summary>
public sealed class ReminderRunner(
    IDbContextFactory<RolloutDb> dbs, ReminderRules rules, Reactions reactions, TimeProvider clock, ILogger<ReminderRunner> logger,
    Operations.BotMeters meters)
{
    /// <summary>A handler that throws is retried on the next sweeps; after this many attempts the reminder is marked failed.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Written to fired_by so that a fired reminder tells which instance fired it.</summary>
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Adds a pending reminder; false when the same (subject, site, rule, payload, due) already exists.</summary>
    public async Task<bool> ScheduleAsync(string subject, long? siteId, string rule, DateTimeOffset dueAt, string? payload = null, CancellationToken ct = default)
    {
        if (rules.Find(rule) is null)
            throw new ArgumentException($"No handler is registered for reminder rule '{rule}'; register it with AddReminderRule.", nameof(rule));
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Reminders.Add(new Reminder
        {
            Subject = subject, SiteId = siteId, Rule = rule, DueAt = dueAt.ToUniversalTime(), Payload = payload,
            State = ReminderState.Pending, CreatedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return false;
        }
    }

    /// <summary>Cancels the pending reminders of a rule for a subject: for one site, or for every site when <paramref name="siteId"/> is null.</summary>
    public async Task<int> CancelAsync(string subject, string rule, long? siteId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Reminders
            .Where(r => r.Subject == subject && r.Rule == rule && r.State == ReminderState.Pending && (siteId == null || r.SiteId == siteId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ReminderState.Cancelled), ct);
    }

    /// <summary>
    /// Adds a pending reminder to <paramref name="db"/> without saving: the caller's SaveChanges commits it with the
    /// change that caused it (a ticket command, a firing reminder). False when the same (subject, site, rule, payload,
    /// due) is already stored or queued there, so the unique key is never hit inside the caller's transaction.
    /// </summary>
    public async Task<bool> ScheduleInAsync(RolloutDb db, string subject, long? siteId, string rule, DateTimeOffset dueAt,
        string? payload = null, CancellationToken ct = default)
    {
        if (rules.Find(rule) is null)
            throw new ArgumentException($"No handler is registered for reminder rule '{rule}'; register it with AddReminderRule.", nameof(rule));
        var due = dueAt.ToUniversalTime();
        bool Same(Reminder r) => r.Subject == subject && r.SiteId == siteId && r.Rule == rule && r.Payload == payload && r.DueAt == due;
        if (db.ChangeTracker.Entries<Reminder>().Any(e => e.State == EntityState.Added && Same(e.Entity))) return false;
        if (await db.Reminders.AnyAsync(r => r.Subject == subject && r.SiteId == siteId && r.Rule == rule && r.Payload == payload && r.DueAt == due, ct))
            return false;
        db.Reminders.Add(new Reminder
        {
            Subject = subject, SiteId = siteId, Rule = rule, DueAt = due, Payload = payload,
            State = ReminderState.Pending, CreatedAt = clock.GetUtcNow(),
        });
        return true;
    }

    /// <summary>As <see cref="CancelAsync"/>, inside the caller's transaction on <paramref name="db"/>; also drops matching reminders queued there but not yet saved.</summary>
    public async Task<int> CancelInAsync(RolloutDb db, string subject, string rule, long? siteId = null, CancellationToken ct = default)
    {
        var queued = db.ChangeTracker.Entries<Reminder>()
            .Where(e => e.State == EntityState.Added && e.Entity.Subject == subject && e.Entity.Rule == rule && (siteId == null || e.Entity.SiteId == siteId))
            .ToList();
        foreach (var entry in queued) entry.State = EntityState.Detached;
        return queued.Count + await db.Reminders
            .Where(r => r.Subject == subject && r.Rule == rule && r.State == ReminderState.Pending && (siteId == null || r.SiteId == siteId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ReminderState.Cancelled), ct);
    }

    /// <summary>Fires every pending reminder due at or before <paramref name="now"/>, oldest first; returns how many this runner fired.</summary>
    public async Task<int> RunDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var utcNow = now.ToUniversalTime();
        List<long> due;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            due = await db.Reminders.AsNoTracking()
                .Where(r => r.State == ReminderState.Pending && r.DueAt <= utcNow)
                .OrderBy(r => r.DueAt).ThenBy(r => r.Id)
                .Select(r => r.Id).ToListAsync(ct);
        }
        var fired = 0;
        foreach (var id in due)
        {
            if (await FireAsync(id, utcNow, ct)) fired++;
        }
        meters.RemindersFired(fired);
        return fired;
    }

    private async Task<bool> FireAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Reminders
            .Where(r => r.Id == id && r.State == ReminderState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, ReminderState.Fired)
                .SetProperty(r => r.FiredAt, now)
                .SetProperty(r => r.FiredBy, _instance), ct);
        if (claimed == 0) return false; // another runner took it, or it was cancelled meanwhile

        var reminder = await db.Reminders.AsNoTracking().SingleAsync(r => r.Id == id, ct);
        var rule = rules.Find(reminder.Rule);
        try
        {
            if (rule is null) throw new InvalidOperationException($"No handler is registered for reminder rule '{reminder.Rule}'.");
            await rule.Handler(new ReminderFiring(reminder, db, this, now, ct));
            // What the handler changed (a ticket's missed target, say) gets its reactions in the same transaction.
            await db.SaveChangesAsync(ct);
            await reactions.PublishAsync(db, Actor.Bot, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await tx.RollbackAsync(CancellationToken.None);
            logger.LogError(ex, "Reminder {Id} ({Rule} for {Subject}) failed", id, reminder.Rule, reminder.Subject);
            await RecordFailureAsync(id, reminder.Attempts + 1, ex.Message, rule is null);
            return false;
        }
    }

    private async Task RecordFailureAsync(long id, int attempts, string error, bool permanent)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var state = permanent || attempts >= MaxAttempts ? ReminderState.Failed : ReminderState.Pending;
        await db.Reminders.Where(r => r.Id == id && r.State == ReminderState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Attempts, attempts)
                .SetProperty(r => r.State, state)
                .SetProperty(r => r.LastError, error));
    }
}
