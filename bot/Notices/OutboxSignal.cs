using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>
/// Wakes the dispatcher as soon as queued notices have committed, so it need not wait for its next poll. A wake names
/// the recipients whose notices committed, when that is all that happened: the dispatcher then looks at those
/// recipients only, and not at all at one whose queue it already holds or knows to be waiting (a burst of comments to
/// one busy conversation costs it nothing per commit). <see cref="Wake"/> asks for a full round.
/// </summary>
public sealed class OutboxSignal
{
    /// <summary>Past this many named recipients between two rounds, a full round is cheaper than naming them.</summary>
    internal const int MaxNamed = 256;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, byte> _named = new(StringComparer.Ordinal);
    private int _full;

    public void Wake()
    {
        Volatile.Write(ref _full, 1);
        _wake.Writer.TryWrite(true);
    }

    public void WakeFor(IEnumerable<string> recipients)
    {
        foreach (var recipient in recipients)
        {
            if (_named.Count >= MaxNamed)
            {
                Volatile.Write(ref _full, 1);
                break;
            }
            _named.TryAdd(recipient, 0);
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>What was asked for since the last call: a full round, and the recipients named.</summary>
    internal (bool Full, IReadOnlyList<string> Recipients) Take()
    {
        var full = Interlocked.Exchange(ref _full, 0) == 1;
        if (_named.IsEmpty) return (full, []);
        var named = new List<string>(_named.Count);
        foreach (var recipient in _named.Keys)
            if (_named.TryRemove(recipient, out _)) named.Add(recipient);
        return (full, named);
    }

    private Action? _wakeAction;

    /// <summary>
    /// After SaveChanges the rows are written but, inside a command's transaction, not yet committed: a dispatcher woken
    /// then finds nothing and sleeps until its next poll. So the wake waits for the commit.
    /// </summary>
    internal void OnSavedChanges(object? sender, SavedChangesEventArgs e)
    {
        if (sender is not RolloutDb db)
        {
            Wake();
            return;
        }
        // Nothing flagged: a pooled context that kept this handler from an earlier use, saving something else.
        var recipients = db.NoticeRecipients;
        var full = db.NoticesNeedFullRound;
        db.NoticeRecipients = null;
        db.NoticesNeedFullRound = false;
        if (full) db.AfterCommit(_wakeAction ??= Wake);
        if (recipients is { Count: > 0 }) db.AfterCommit(() => WakeFor(recipients));
    }

    /// <summary>Returns when woken or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _wake.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}
