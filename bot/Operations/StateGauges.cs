using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Operations;

/// <summary>
/// Gauges read from the database when Prometheus scrapes (every 15–60 s): the outbox backlog and its lag, parked
/// notices, tickets by state. They describe the shared database, so every instance reports the same values.
/// </summary>
public sealed class StateGauges
{
    private readonly IDbContextFactory<RolloutDb> _dbs;
    private readonly TimeProvider _clock;

    public StateGauges(BotMeters meters, IDbContextFactory<RolloutDb> dbs, TimeProvider clock)
    {
        _dbs = dbs;
        _clock = clock;
        meters.Meter.CreateObservableGauge("rollout.outbox.lag", () => Outbox().LagSeconds, "s",
            "age of the oldest notice not yet sent (0 when the outbox is empty)");
        meters.Meter.CreateObservableGauge("rollout.outbox.pending", () => Outbox().Pending, "{notice}", "notices waiting to be sent");
        meters.Meter.CreateObservableGauge("rollout.outbox.parked", () => Outbox().Parked, "{notice}", "notices parked until someone acts");
        meters.Meter.CreateObservableGauge("rollout.tickets", Tickets, "{ticket}", "tickets by state");
    }

    /// <param name="OldestDueAt">Since when the longest-waiting notice could have been taken by a dispatcher.</param>
    public sealed record OutboxState(long Pending, long Parked, double LagSeconds, DateTimeOffset? OldestDueAt);

    /// <summary>A few indexed queries per scrape; scrapes come every 15–60 s, so nothing is cached.</summary>
    private OutboxState Outbox()
    {
        using var db = _dbs.CreateDbContext();
        return ReadOutbox(db, _clock.GetUtcNow());
    }

    public static OutboxState ReadOutbox(RolloutDb db, DateTimeOffset now)
    {
        var counts = db.Notices.AsNoTracking().Where(n => n.State != NoticeState.Sent).GroupBy(n => n.State)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToList();
        var oldest = db.Notices.AsNoTracking().Where(n => n.State == NoticeState.Pending)
            .OrderBy(n => n.CreatedAt).Select(n => (DateTimeOffset?)n.CreatedAt).FirstOrDefault();
        // Due and free to take: never claimed, or its claim lapsed (the instance holding it died or hangs).
        var free = db.Notices.AsNoTracking().Where(n => n.State == NoticeState.Pending && (n.ClaimExpiresAt == null || n.ClaimExpiresAt < now))
            .OrderBy(n => n.NextAttemptAt).Select(n => new { n.NextAttemptAt, n.ClaimExpiresAt }).FirstOrDefault();
        DateTimeOffset? oldestDue = free is null ? null
            : free.ClaimExpiresAt is { } lapsed && lapsed > free.NextAttemptAt ? lapsed : free.NextAttemptAt;
        var lag = oldest is { } created && now > created ? (now - created).TotalSeconds : 0;
        return new OutboxState(counts.FirstOrDefault(c => c.Key == NoticeState.Pending)?.Count ?? 0,
            counts.FirstOrDefault(c => c.Key == NoticeState.Parked)?.Count ?? 0, lag, oldestDue);
    }

    private IEnumerable<Measurement<long>> Tickets()
    {
        using var db = _dbs.CreateDbContext();
        var counts = db.Tickets.AsNoTracking().GroupBy(t => t.State).Select(g => new { g.Key, Count = g.LongCount() }).ToList();
        // Every state is reported, zero included, so a panel's series do not come and go.
        return Enum.GetValues<TicketState>().Select(state => new Measurement<long>(
            counts.FirstOrDefault(c => c.Key == state)?.Count ?? 0, new KeyValuePair<string, object?>("state", state.ToName())));
    }
}
