using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Storage;

/// <summary>
/// SQLite takes one writer at a time, and Microsoft.Data.Sqlite waits for a busy database by sleeping the thread 150 ms
/// and trying again: ten turns writing at once queued that way at about a hundred a second, with second-long tails, and
/// blocked thread-pool threads meanwhile. Writers of this process queue here instead, asynchronously and in order,
/// so the database is never found busy by another of our own writers. (On SQLite only one bot process uses the file.)
/// PostgreSQL takes concurrent writers itself: there this is a no-op.
/// </summary>
public static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>Holds the database's write turn until disposed; take it before the transaction or statement that writes.</summary>
    public static async ValueTask<IDisposable?> WriterAsync(this RolloutDb db, CancellationToken ct)
    {
        if (!db.IsSqlite) return null;
        var gate = Gates.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }
}
