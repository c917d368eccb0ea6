using System.Collections.Concurrent;

namespace Rollout.Bot.Notices;

/// <summary>
/// What this instance knows about each recipient without asking the database: how many of its notices it holds (queued
/// in a lane or being sent), and until when its queue is known to wait (rate limit, a retry's back-off). A commit that
/// queues a notice for such a recipient needs no claim now: the lane's end wakes a full round, and the waiting notice is
/// due in the database at the instant recorded here, which the full rounds already schedule for.
/// </summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>1 when a round claimed nothing because this instance held <see cref="MaxHeld"/> notices.</summary>
    private int _roundSkippedWhileFull;

    private readonly ConcurrentDictionary<string, int> _heldFor = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _waitingUntil = new(StringComparer.Ordinal);

    /// <summary>Whether a round for <paramref name="recipient"/> alone could claim anything now.</summary>
    internal bool MayClaimFor(string recipient, DateTimeOffset now)
    {
        if (_heldFor.ContainsKey(recipient)) return false;
        if (!_waitingUntil.TryGetValue(recipient, out var until)) return true;
        if (until > now) return false;
        _waitingUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(recipient, until));
        return true;
    }

    private void Holding(string recipient) => _heldFor.AddOrUpdate(recipient, 1, (_, n) => n + 1);

    private void Released(string recipient)
    {
        while (_heldFor.TryGetValue(recipient, out var n))
        {
            if (n <= 1 ? _heldFor.TryRemove(new KeyValuePair<string, int>(recipient, n)) : _heldFor.TryUpdate(recipient, n - 1, n)) return;
        }
    }

    /// <summary>
    /// A lane has ended: its recipients' notices held back behind its claims may go now, or once their wait is over, so
    /// a round for those recipients alone is asked for then. Only when this instance was holding all it may hold is a
    /// full round needed (rounds claimed nothing meanwhile).
    /// </summary>
    private void LaneEnded(IEnumerable<string> recipients)
    {
        if (signal is null) return;
        var now = clock.GetUtcNow();
        var atOnce = new List<string>();
        foreach (var recipient in recipients)
        {
            if (_waitingUntil.TryGetValue(recipient, out var until) && until > now)
                _ = WakeForLaterAsync(recipient, until - now);
            else atOnce.Add(recipient);
        }
        if (atOnce.Count > 0) signal.WakeFor(atOnce);
        if (Interlocked.Exchange(ref _roundSkippedWhileFull, 0) == 1) signal.Wake();
    }

    private async Task WakeForLaterAsync(string recipient, TimeSpan after)
    {
        try
        {
            await Task.Delay(after, clock, _stopping.Token);
            signal!.WakeFor([recipient]);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The recipient's queue waits in the database until <paramref name="until"/> (its head was deferred or is retried then).</summary>
    private void WaitingUntil(string recipient, DateTimeOffset until) =>
        _waitingUntil.AddOrUpdate(recipient, until, (_, known) => until > known ? until : known);
}
