using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>
/// Per-conversation lanes. Each conversation (its rate key) has one lane: a queue worked by one task, so its notices go
/// out one at a time, in order, within its rate limit, while other lanes go on. Sends in flight are bounded overall and
/// per serviceUrl, so one channel that never answers can hold only its own share; each send has a timeout.
/// </summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>Claimed notices kept in lanes at most; past it rounds claim nothing until the lanes catch up.</summary>
    private const int MaxHeld = 2000;

    private readonly object _lanesLock = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perServiceUrl = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private SemaphoreSlim? _inFlight;
    private int _held;

    /// <summary>Notices this instance holds: queued in a lane or being sent.</summary>
    public int Held => Volatile.Read(ref _held);

    internal sealed record Work(Notice Notice, DeliveryTarget Target, string Token, DateTimeOffset ClaimedAt)
    {
        public TaskCompletionSource<Outcome?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lane(string key)
    {
        public string Key { get; } = key;
        public Queue<Work> Queue { get; } = new();
        /// <summary>Every recipient whose notices went through this lane (several recipients may share a conversation).</summary>
        public HashSet<string> Recipients { get; } = new(StringComparer.Ordinal);
        /// <summary>Once a 1:1 conversation was created for this lane's person, the rest of the lane uses it.</summary>
        public string? CreatedPersonal { get; set; }
    }

    /// <summary>Cancels the sends in flight (the host is stopping); their claims lapse or are released at the next start.</summary>
    public void StopLanes() => _stopping.Cancel();

    private Task<Outcome?> Enqueue(Work work)
    {
        Lane? lane;
        bool start;
        lock (_lanesLock)
        {
            start = !_lanes.TryGetValue(work.Target.RateKey, out lane);
            if (start) _lanes[work.Target.RateKey] = lane = new Lane(work.Target.RateKey);
            lane!.Queue.Enqueue(work);
            lane.Recipients.Add(work.Notice.Recipient);
            _held++;
            Holding(work.Notice.Recipient);
        }
        if (start) _ = Task.Run(() => RunLaneAsync(lane));
        return work.Done.Task;
    }

    private async Task RunLaneAsync(Lane lane)
    {
        var blocked = new HeldBack();
        while (true)
        {
            Work work;
            lock (_lanesLock)
            {
                if (lane.Queue.Count == 0)
                {
                    _lanes.Remove(lane.Key);
                    break;
                }
                work = lane.Queue.Dequeue();
            }
            Outcome? outcome = null;
            try
            {
                outcome = await RunOneAsync(lane, work, blocked, _stopping.Token);
            }
            catch (Exception ex)
            {
                // A database fault: the claim lapses with its lease and the notice goes again; later ones must wait for it.
                if (!_stopping.IsCancellationRequested) logger.LogError(ex, "Sending notice {Id} failed on the bot's side", work.Notice.Id);
                blocked.Behind(work.Notice, clock.GetUtcNow() + _options.ClaimLease);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
                Released(work.Notice.Recipient);
            }
            work.Done.TrySetResult(outcome);
        }
        LaneEnded(lane.Recipients);
    }

    private async Task<Outcome?> RunOneAsync(Lane lane, Work work, HeldBack blocked, CancellationToken ct)
    {
        var notice = work.Notice;
        if (blocked.Holds(notice, clock.GetUtcNow(), out var until)) return await DeferAsync(notice, work.Token, until, ct);
        var outcome = await SendOneAsync(lane, work, blocked, ct);
        // Out of rate (Deferred): everything behind it in the lane waits, however soon the limit frees up, or a later notice
        // could go before the one just handed back. Behind a retry: that recipient's later notices wait.
        if (outcome is Outcome.Deferred or Outcome.Retrying) await DeferHeldBackAsync(lane, blocked, wholeLane: outcome == Outcome.Deferred, ct);
        return outcome;
    }

    /// <summary>
    /// The rest of the lane that now has to wait (same recipient behind a retry, or the whole lane once its rate limit is
    /// used up) is handed back in one statement, not one per notice: under a burst to one conversation most of a claimed
    /// batch waits for the next second.
    /// </summary>
    private async Task DeferHeldBackAsync(Lane lane, HeldBack blocked, bool wholeLane, CancellationToken ct)
    {
        var held = new List<(Work Work, DateTimeOffset Until)>();
        var now = clock.GetUtcNow();
        lock (_lanesLock)
        {
            var keep = new Queue<Work>();
            while (lane.Queue.TryDequeue(out var next))
            {
                if (blocked.Holds(next.Notice, now, out var until)) held.Add((next, until));
                else if (wholeLane) held.Add((next, blocked.LimitFreeAt > now ? blocked.LimitFreeAt : now));
                else keep.Enqueue(next);
            }
            while (keep.TryDequeue(out var next)) lane.Queue.Enqueue(next);
        }
        if (held.Count == 0) return;
        try
        {
            foreach (var group in held.GroupBy(h => (h.Work.Token, h.Until)))
            {
                var ids = group.Select(h => h.Work.Notice.Id).ToList();
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                using var writer = await db.WriterAsync(ct);
                await db.Notices.Where(n => ids.Contains(n.Id) && n.ClaimedBy == group.Key.Token).ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.NextAttemptAt, group.Key.Until)
                    .SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null), ct);
            }
        }
        finally
        {
            Interlocked.Add(ref _held, -held.Count);
            foreach (var (work, until) in held)
            {
                WaitingUntil(work.Notice.Recipient, until);
                Released(work.Notice.Recipient);
                work.Done.TrySetResult(Outcome.Deferred);
            }
        }
    }

    private async Task<Outcome?> SendOneAsync(Lane lane, Work work, HeldBack blocked, CancellationToken ct)
    {
        var notice = work.Notice;
        var target = lane.CreatedPersonal is not null && work.Target.Mode == DeliveryMode.CreatePersonal
            ? work.Target with { Mode = DeliveryMode.Send, ConversationId = lane.CreatedPersonal }
            : work.Target;

        var perUrl = _perServiceUrl.GetOrAdd(target.ServiceUrl, _ => new SemaphoreSlim(_options.MaxSendsInFlightPerServiceUrl));
        var overall = LazyInitializer.EnsureInitialized(ref _inFlight, () => new SemaphoreSlim(_options.MaxSendsInFlight));
        await perUrl.WaitAsync(ct);
        try
        {
            await overall.WaitAsync(ct);
            try
            {
                if (!await StillHoldsClaimAsync(work, ct)) return null;
                // The slot is taken right before the attempt: every attempt counts against the limit, retries included,
                // at the moment it leaves (nothing awaited in between), as the channel counts what arrives.
                if (!_limiter.TryTake(target.RateKey, out var freeAt))
                {
                    // The whole lane is one conversation: nothing more of it goes before the limit frees up.
                    blocked.Until(freeAt);
                    return await DeferAsync(notice, work.Token, freeAt, ct);
                }
                var (outcome, retryAt, delivered) = await DeliverOneAsync(notice, target, work.Token, ct);
                if (delivered is { CreatedPersonal: true }) lane.CreatedPersonal = delivered.ConversationId;
                if (retryAt is { } at) blocked.Behind(notice, at);
                return outcome;
            }
            finally
            {
                overall.Release();
            }
        }
        finally
        {
            perUrl.Release();
        }
    }

    private async Task<(Outcome, DateTimeOffset?, Delivered?)> DeliverOneAsync(Notice notice, DeliveryTarget target, string token, CancellationToken ct)
    {
        if (target.Mode == DeliveryMode.Mail) return await MailOneAsync(notice, target, token, ct);
        Delivered delivered;
        using var timeout = new CancellationTokenSource(_options.SendTimeout, clock);
        using var send = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            delivered = await delivery.DeliverAsync(target, BotMessage.FromJson(notice.PayloadJson), send.Token);
        }
        catch (ConnectorException ex) when (IsTransient(ex.StatusCode))
        {
            return await FailAsync(notice, token, $"{ex.StatusCode} {ex.Code}: {ex.Message}".Replace("  ", " "), ex.RetryAfter,
                throttled: ex.StatusCode == 429);
        }
        catch (ConnectorException ex)
        {
            return (await ParkAsync(notice, token, $"the channel refused it: {ex.StatusCode} {ex.Code}: {ex.Message}".Replace("  ", " "), ct), null, null);
        }
        catch (Exception ex) when (ex is OperationCanceledException && timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // The request went out and no answer came: the channel may have the message. Sending it again could post it
            // twice (the Connector has no idempotency key), so it waits for a person to look instead.
            return (await ParkAsync(notice, token, $"the channel did not answer within {_options.SendTimeout.TotalSeconds:0.#} s, so it may " +
                $"have the message; not sent again on its own — look in the conversation and `/outbox retry {notice.Id}` if it is missing", ct), null, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException
            || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return await FailAsync(notice, token, $"network: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault on our side counts as a failed attempt, so such a notice ends parked instead of looping.
            logger.LogError(ex, "Delivering notice {Id} failed", notice.Id);
            return await FailAsync(notice, token, $"error on the bot's side: {ex.Message}");
        }
        // Counted before the outcome is written, so whoever sees the outcome in the database sees it counted too.
        meters.Notices(sent: 1, retried: 0, parked: 0);
        await RecordSentAsync(notice, target, delivered, token);
        return (Outcome.Sent, null, delivered);
    }

    /// <summary>
    /// What a lane holds back. Behind a notice to be retried, its recipient's later notices wait until that very notice
    /// comes back (claimed again, it goes first), however the time passes meanwhile: that is what keeps the order. When
    /// the conversation's rate limit is used up, the whole lane waits until the limit frees up.
    /// </summary>
    private sealed class HeldBack
    {
        private readonly Dictionary<string, (long Id, DateTimeOffset Until)> _behind = new(StringComparer.Ordinal);
        private DateTimeOffset _limitFreeAt = DateTimeOffset.MinValue;

        public void Behind(Notice notice, DateTimeOffset until) => _behind[notice.Recipient] = (notice.Id, until);

        public void Until(DateTimeOffset freeAt) => _limitFreeAt = freeAt;

        public DateTimeOffset LimitFreeAt => _limitFreeAt;

        /// <summary>Whether <paramref name="notice"/> must wait, and till when it is due again.</summary>
        public bool Holds(Notice notice, DateTimeOffset now, out DateTimeOffset until)
        {
            if (_behind.TryGetValue(notice.Recipient, out var behind))
            {
                if (notice.Id <= behind.Id) _behind.Remove(notice.Recipient);
                else
                {
                    until = behind.Until > now ? behind.Until : now;
                    return true;
                }
            }
            until = _limitFreeAt;
            return _limitFreeAt > now;
        }
    }
}
