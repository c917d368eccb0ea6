using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>What one dispatcher round did, and when the next notice falls due.</summary>
public sealed record OutboxRun(int Sent, int Retrying, int Parked, int Deferred, DateTimeOffset? NextDueAt)
{
    public int Handled => Sent + Retrying + Parked + Deferred;
}

/// <summary>
/// Sends due notices. A round claims a batch with a conditional UPDATE (claim token + short lease, renewed while this
/// instance holds the notices, so two instances on one database never hold the same notice and a dead one's claims
/// lapse within seconds) and hands each notice to its conversation's lane (<see cref="OutboxDispatcher"/>.Lanes): lanes
/// run side by side and no lane waits for another, so a conversation whose channel hangs delays only itself. A notice
/// is marked sent in the first write after the channel's answer, together with its activity id; if the process dies
/// between the two, the notice is sent once more after the claim lapses — the only duplicate window, one HTTP
/// response long.
/// </summary>
public sealed partial class OutboxDispatcher(
    IDbContextFactory<RolloutDb> dbFactory, ProactiveDelivery delivery, TimeProvider clock, IOptions<NoticesOptions> options,
    ILogger<OutboxDispatcher> logger, Operations.BotMeters meters, OutboxSignal? signal = null,
    Mail.MailSender? mail = null)
{
    private readonly NoticesOptions _options = options.Value;
    private readonly ConversationRateLimiter _limiter = new(clock, options.Value.SendsPerSecondPerConversation, options.Value.RateWindowMargin);

    public string InstanceId { get; } = Environment.MachineName + "/" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Claims what is due, sends it, and returns once every notice it claimed has an outcome (tests, tools).</summary>
    public async Task<OutboxRun> RunOnceAsync(CancellationToken ct = default)
    {
        var round = await StartRoundAsync(ct);
        var outcomes = (await Task.WhenAll(round.Outcomes)).Where(o => o is not null).Select(o => o!.Value).ToList();
        return new OutboxRun(outcomes.Count(o => o == Outcome.Sent), outcomes.Count(o => o == Outcome.Retrying),
            outcomes.Count(o => o == Outcome.Parked), outcomes.Count(o => o == Outcome.Deferred), await NextDueAsync(ct));
    }

    /// <summary>How many notices one round claimed, and their outcomes as the lanes settle them.</summary>
    internal sealed record Round(int Claimed, IReadOnlyList<Task<Outcome?>> Outcomes);

    /// <summary>Claims what is due and hands it to the lanes without waiting for any send (the worker's round).</summary>
    /// <remarks><paramref name="only"/>: claim for these recipients alone (their notices just committed).</remarks>
    internal async Task<Round> StartRoundAsync(CancellationToken ct, IReadOnlyCollection<string>? only = null)
    {
        if (Held >= MaxHeld)
        {
            Volatile.Write(ref _roundSkippedWhileFull, 1);
            return new Round(0, []);
        }
        var token = InstanceId + "/" + Guid.NewGuid().ToString("N")[..8];
        var claimedAt = clock.GetUtcNow();
        var claimed = await ClaimAsync(token, only, ct);
        var outcomes = new List<Task<Outcome?>>();
        if (claimed.Count == 0) return new Round(0, outcomes);

        var work = new List<(Notice Notice, DeliveryTarget? Target, string? Problem)>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // One look-up per recipient: a burst to one conversation claims many notices with the same target.
            var resolved = new Dictionary<string, (DeliveryTarget?, string?)>(StringComparer.Ordinal);
            foreach (var notice in claimed)
            {
                try
                {
                    if (!resolved.TryGetValue(notice.Recipient, out var found))
                        resolved[notice.Recipient] = found = await NoticeDelivery.ResolveAsync(db, notice, ct);
                    work.Add((notice, found.Item1, found.Item2));
                }
                catch (FormatException ex)
                {
                    work.Add((notice, null, ex.Message));
                }
            }
        }
        foreach (var (notice, target, problem) in work)
        {
            if (target is null) outcomes.Add(Task.FromResult<Outcome?>(await ParkAsync(notice, token, problem!, ct)));
            else outcomes.Add(Enqueue(new Work(notice, target, token, claimedAt)));
        }
        return new Round(claimed.Count, outcomes);
    }

    /// <summary>
    /// On SQLite only one bot instance can use the database, so claims found at start-up were left by a process that
    /// stopped mid-send: hand them back at once instead of waiting for the lease. Claims carrying this instance's id
    /// are kept: a round may already have run (the worker starts beside the host) and its notices sit in a lane, so
    /// handing them back would let the next round claim them again into the same lane, twice and out of order.
    /// </summary>
    public async Task ReleaseClaimsLeftByEarlierRunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.IsSqlite) return;
        var mine = InstanceId + "/";
        await db.Notices.Where(n => n.State == NoticeState.Pending && n.ClaimedBy != null && !n.ClaimedBy.StartsWith(mine))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null), ct);
    }

    /// <summary>
    /// Extends the lease of every notice this instance still holds (queued in a lane or being sent), so that a lease
    /// can be short: a live instance keeps its notices however slow the channel, a dead one loses them within one lease.
    /// Claims another instance took over (after a lapse) are not touched: they carry its token, not ours.
    /// </summary>
    public async Task RenewClaimsAsync(CancellationToken ct)
    {
        if (Held == 0) return;
        var prefix = InstanceId + "/";
        var until = clock.GetUtcNow() + _options.ClaimLease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var writer = await db.WriterAsync(ct);
        var now = until - _options.ClaimLease;
        await db.Notices.Where(n => n.State == NoticeState.Pending && n.ClaimedBy != null && n.ClaimedBy.StartsWith(prefix))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimExpiresAt, until), ct);
        _renewedAt = now;
    }

    /// <summary>When <see cref="RenewClaimsAsync"/> last extended every claim this instance held (ticks, UTC).</summary>
    private DateTimeOffset _renewedAt = DateTimeOffset.MinValue;

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Notices.AsNoTracking().Where(n => n.State == NoticeState.Pending)
            .OrderBy(n => n.NextAttemptAt).Select(n => new { n.NextAttemptAt, n.ClaimExpiresAt }).FirstOrDefaultAsync(ct);
        if (due is null) return null;
        return due.ClaimExpiresAt is { } lease && lease > due.NextAttemptAt ? lease : due.NextAttemptAt;
    }

    /// <summary>
    /// Due, unclaimed, and first in its recipient's queue: a notice waits while an earlier one to the same recipient is
    /// still unsent and not free to go with it (being retried later, or held by a lane of any instance), which keeps each
    /// conversation's order through retries. An earlier notice claimed under <paramref name="token"/> does not hold a
    /// later one back: in the claiming UPDATE, SQLite shows the statement its own updates (PostgreSQL does not).
    /// </summary>
    private static System.Linq.Expressions.Expression<Func<Notice, bool>> FreeToGo(RolloutDb db, DateTimeOffset now, string token) =>
        n => n.State == NoticeState.Pending && n.NextAttemptAt <= now && (n.ClaimExpiresAt == null || n.ClaimExpiresAt < now)
            && !db.Notices.Any(o => o.Recipient == n.Recipient && o.State == NoticeState.Pending && o.Id < n.Id
                && (o.NextAttemptAt > now || (o.ClaimExpiresAt != null && o.ClaimExpiresAt >= now && o.ClaimedBy != token)));

    private async Task<List<Notice>> ClaimAsync(string token, IReadOnlyCollection<string>? only, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lease = now + _options.ClaimLease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Another instance may claim the same candidates first; then look past them once more (what SKIP LOCKED does).
        for (var pass = 0; pass < 3; pass++)
        {
            var candidates = only is not null ? await QueueHeadsAsync(db, only, now, ct) : await db.Notices.AsNoTracking()
                .Where(FreeToGo(db, now, token))
                .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).Select(n => n.Id).Take(_options.BatchSize).ToListAsync(ct);
            if (candidates.Count == 0) break;

            // The WHERE repeats the whole test, due, unclaimed and first in its recipient's queue: a concurrent claimer
            // that committed first makes it false here (PostgreSQL re-checks it on the updated row under READ COMMITTED;
            // SQLite has one writer at a time). Without the queue test, a round that read both of a recipient's notices
            // as free could claim the second after another round had just claimed the first, and the two rounds' lanes
            // then raced to send them: OutboxResilienceTests.ARunOf429sLongerThanMaxAttempts_… caught it one run in three.
            using var writer = await db.WriterAsync(ct);
            var claimed = await db.Notices.Where(n => candidates.Contains(n.Id)).Where(FreeToGo(db, now, token))
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimedBy, token).SetProperty(n => n.ClaimExpiresAt, lease), ct);
            if (claimed > 0) break;
        }
        return await db.Notices.AsNoTracking().Where(n => n.ClaimedBy == token).OrderBy(n => n.Id).ToListAsync(ct);
    }

    /// <summary>
    /// The same rule as the full round's query, for a few recipients: what is free to go of each one's queue is the run of
    /// due, unclaimed notices at its head, read in id order through the (recipient, state, id) index and cut at the first
    /// that must wait. However deep a queue, this reads no more than a batch of it (the full query looks at every due row).
    /// </summary>
    private async Task<List<long>> QueueHeadsAsync(RolloutDb db, IReadOnlyCollection<string> recipients, DateTimeOffset now, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var recipient in recipients)
        {
            var room = _options.BatchSize - ids.Count;
            if (room <= 0) break;
            var head = await db.Notices.AsNoTracking().Where(n => n.Recipient == recipient && n.State == NoticeState.Pending)
                .OrderBy(n => n.Id).Select(n => new { n.Id, n.NextAttemptAt, n.ClaimExpiresAt }).Take(room).ToListAsync(ct);
            foreach (var n in head)
            {
                if (n.NextAttemptAt > now || (n.ClaimExpiresAt is { } lease && lease >= now)) break;
                ids.Add(n.Id);
            }
        }
        return ids;
    }

    /// <summary>
    /// A notice that waited in its lane for half its lease (slow channel, long queue) has its claim renewed before it
    /// is sent, and is skipped if another instance took it over after the lease ran out.
    /// </summary>
    private async Task<bool> StillHoldsClaimAsync(Work work, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // A renewal made while the claim was still valid extended it: the lease then runs from that renewal.
        var renewedAt = _renewedAt;
        var heldSince = renewedAt > work.ClaimedAt && renewedAt < work.ClaimedAt + _options.ClaimLease ? renewedAt : work.ClaimedAt;
        if (now - heldSince < _options.ClaimLease / 2) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var writer = await db.WriterAsync(ct);
        var renewed = await db.Notices.Where(n => n.Id == work.Notice.Id && n.ClaimedBy == work.Token && n.State == NoticeState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimExpiresAt, now + _options.ClaimLease), ct);
        if (renewed == 0) logger.LogWarning("Notice {Id} was taken over by another dispatcher after its claim lapsed", work.Notice.Id);
        return renewed == 1;
    }

    internal static bool IsTransient(int status) => status is 408 or 412 or 429 or >= 500;

    internal enum Outcome { Sent, Retrying, Parked, Deferred }
}
