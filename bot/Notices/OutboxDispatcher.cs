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
/// Sends due notices. A round claims a batch with a conditional UPDATE (claim token + lease, so two instances on one
/// PostgreSQL database never hold the same notice), delivers each through the Connector, conversations in parallel and
/// each conversation in order within its rate limit, and records the outcome. A notice is marked sent in the same
/// statement that records its activity id; if the process dies between the channel accepting the message and that
/// write, the notice is sent once more after the claim lapses — the only duplicate window, one HTTP response long.
/// </summary>
public sealed partial class OutboxDispatcher(
    IDbContextFactory<RolloutDb> dbFactory, ProactiveDelivery delivery, TimeProvider clock, IOptions<NoticesOptions> options,
    ILogger<OutboxDispatcher> logger, Operations.BotMeters meters)
{
    private readonly NoticesOptions _options = options.Value;
    private readonly ConversationRateLimiter _limiter = new(clock, options.Value.SendsPerSecondPerConversation);

    public string InstanceId { get; } = Environment.MachineName + "/" + Guid.NewGuid().ToString("N")[..12];

    public async Task<OutboxRun> RunOnceAsync(CancellationToken ct = default)
    {
        var token = InstanceId + "/" + Guid.NewGuid().ToString("N")[..8];
        var claimedAt = clock.GetUtcNow();
        var claimed = await ClaimAsync(token, ct);
        var outcomes = new List<Outcome>();
        if (claimed.Count > 0)
        {
            var work = new List<(Notice Notice, DeliveryTarget? Target, string? Problem)>();
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                foreach (var notice in claimed)
                {
                    try
                    {
                        var (target, problem) = await NoticeDelivery.ResolveAsync(db, notice, ct);
                        work.Add((notice, target, problem));
                    }
                    catch (FormatException ex)
                    {
                        work.Add((notice, null, ex.Message));
                    }
                }
            }
            foreach (var unresolved in work.Where(w => w.Target is null))
                outcomes.Add(await ParkAsync(unresolved.Notice, token, unresolved.Problem!, ct));

            var lanes = work.Where(w => w.Target is not null).GroupBy(w => w.Target!.RateKey)
                .Select(lane => RunLaneAsync(lane.Select(w => (w.Notice, w.Target!)).ToList(), token, claimedAt, ct));
            foreach (var lane in await Task.WhenAll(lanes)) outcomes.AddRange(lane);
        }
        var run = new OutboxRun(outcomes.Count(o => o == Outcome.Sent), outcomes.Count(o => o == Outcome.Retrying),
            outcomes.Count(o => o == Outcome.Parked), outcomes.Count(o => o == Outcome.Deferred), await NextDueAsync(ct));
        return run;
    }

    /// <summary>
    /// On SQLite only one bot instance can use the database, so claims found at start-up were left by a process that
    /// stopped mid-send: hand them back at once instead of waiting for the lease.
    /// </summary>
    public async Task ReleaseClaimsLeftByEarlierRunAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!db.Database.IsSqlite()) return;
        await db.Notices.Where(n => n.State == NoticeState.Pending && n.ClaimedBy != null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null), ct);
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Notices.AsNoTracking().Where(n => n.State == NoticeState.Pending)
            .OrderBy(n => n.NextAttemptAt).Select(n => new { n.NextAttemptAt, n.ClaimExpiresAt }).FirstOrDefaultAsync(ct);
        if (due is null) return null;
        return due.ClaimExpiresAt is { } lease && lease > due.NextAttemptAt ? lease : due.NextAttemptAt;
    }

    private async Task<List<Notice>> ClaimAsync(string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lease = now + _options.ClaimLease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Another instance may claim the same candidates first; then look past them once more (what SKIP LOCKED does).
        for (var pass = 0; pass < 3; pass++)
        {
            var candidates = await db.Notices.AsNoTracking()
                .Where(n => n.State == NoticeState.Pending && n.NextAttemptAt <= now && (n.ClaimExpiresAt == null || n.ClaimExpiresAt < now))
                .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.Id).Select(n => n.Id).Take(_options.BatchSize).ToListAsync(ct);
            if (candidates.Count == 0) break;

            // The WHERE repeats the due/unclaimed test: a concurrent claimer that committed first makes it false here
            // (PostgreSQL re-checks it on the updated row under READ COMMITTED; SQLite has one writer at a time).
            var claimed = await db.Notices
                .Where(n => candidates.Contains(n.Id) && n.State == NoticeState.Pending && (n.ClaimExpiresAt == null || n.ClaimExpiresAt < now))
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimedBy, token).SetProperty(n => n.ClaimExpiresAt, lease), ct);
            if (claimed > 0) break;
        }
        return await db.Notices.AsNoTracking().Where(n => n.ClaimedBy == token).OrderBy(n => n.Id).ToListAsync(ct);
    }

    private async Task<List<Outcome>> RunLaneAsync(List<(Notice Notice, DeliveryTarget Target)> lane, string token,
        DateTimeOffset claimedAt, CancellationToken ct)
    {
        var outcomes = new List<Outcome>();
        string? createdPersonal = null;
        foreach (var (notice, resolved) in lane)
        {
            // The lane is one person or conversation: once a 1:1 conversation was created, the rest use it.
            var target = createdPersonal is not null && resolved.Mode == DeliveryMode.CreatePersonal
                ? resolved with { Mode = DeliveryMode.Send, ConversationId = createdPersonal }
                : resolved;
            if (!_limiter.TryTake(target.RateKey, out var freeAt))
            {
                outcomes.Add(await DeferAsync(notice, token, freeAt, ct));
                continue;
            }
            if (!await StillHoldsClaimAsync(notice, token, claimedAt, ct)) continue;
            var (outcome, delivered) = await DeliverOneAsync(notice, target, token, ct);
            if (delivered is { CreatedPersonal: true }) createdPersonal = delivered.ConversationId;
            outcomes.Add(outcome);
        }
        return outcomes;
    }

    private async Task<(Outcome, Delivered?)> DeliverOneAsync(Notice notice, DeliveryTarget target, string token, CancellationToken ct)
    {
        Delivered delivered;
        try
        {
            delivered = await delivery.DeliverAsync(target, BotMessage.FromJson(notice.PayloadJson), ct);
        }
        catch (ConnectorException ex) when (IsTransient(ex.StatusCode))
        {
            return (await FailAsync(notice, token, $"{ex.StatusCode} {ex.Code}: {ex.Message}".Replace("  ", " "), ct), null);
        }
        catch (ConnectorException ex)
        {
            return (await ParkAsync(notice, token, $"the channel refused it: {ex.StatusCode} {ex.Code}: {ex.Message}".Replace("  ", " "), ct), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException
            || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return (await FailAsync(notice, token, $"network: {ex.Message}", ct), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault on our side counts as a failed attempt, so such a notice ends parked instead of looping.
            logger.LogError(ex, "Delivering notice {Id} failed", notice.Id);
            return (await FailAsync(notice, token, $"error on the bot's side: {ex.Message}", ct), null);
        }
        // Counted before the outcome is written, so whoever sees the outcome in the database sees it counted too.
        meters.Notices(sent: 1, retried: 0, parked: 0);
        await RecordSentAsync(notice, target, delivered, token, ct);
        return (Outcome.Sent, delivered);
    }

    /// <summary>
    /// A round that has run for half its lease (slow channel, long Retry-After) renews the claim of each notice before
    /// sending it, and skips the notice if another instance took it over after the lease ran out.
    /// </summary>
    private async Task<bool> StillHoldsClaimAsync(Notice notice, string token, DateTimeOffset claimedAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now - claimedAt < _options.ClaimLease / 2) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var renewed = await db.Notices.Where(n => n.Id == notice.Id && n.ClaimedBy == token && n.State == NoticeState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ClaimExpiresAt, now + _options.ClaimLease), ct);
        if (renewed == 0) logger.LogWarning("Notice {Id} was taken over by another dispatcher after its claim lapsed", notice.Id);
        return renewed == 1;
    }

    internal static bool IsTransient(int status) => status is 408 or 412 or 429 or >= 500;

    private enum Outcome { Sent, Retrying, Parked, Deferred }
}
