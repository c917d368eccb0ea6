using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Channels re-send an activity when the bot was slow or failed (Teams after ~15 s, Direct Line on a 5xx): the same
/// (channelId, conversation id, activity id) is processed once, by whichever instance claims it first in the shared
/// database, before or after a restart. The claim is one write: the activity counts as seen for <see cref="Window"/>
/// from the moment its turn starts, and a turn that fails on our side gives the claim back, so the channel's re-send is
/// processed. (An earlier version wrote a short lease first and the window on completion: two writes on every turn,
/// read-only ones included, for a case no channel produces, a re-send more than a minute after an instance died.)
/// On SQLite the writes queue at the process's write gate like every other writer, never meeting a busy database.
/// </summary>
public sealed class ActivityDeduplicator(IDbContextFactory<RolloutDb> dbs, TimeProvider clock, ILogger<ActivityDeduplicator> logger)
{
    /// <summary>How long an activity is remembered (PROTOCOL §7 asks for at least 60 s; Teams re-sends within a minute).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private long _nextPruneMs;

    /// <summary>The key of one activity: bounded whatever the ids' lengths.</summary>
    public static string Key(string channelId, string conversationId, string activityId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{conversationId}\n{activityId}")));

    /// <summary>True when this instance may run the turn: nobody claimed it within the window.</summary>
    public async Task<bool> TryClaimAsync(string key, CancellationToken ct)
    {
        var claim = new Claim(key);
        _pending.Enqueue(claim);
        await WriteWhileAnyPendingAsync();
        return await claim.Claimed.Task.WaitAsync(ct);
    }

    // Group commit: every turn claims its activity, and one commit per claim made the claims (not the turns) the
    // bottleneck under load. Whoever finds no batch being written writes all the claims waiting, in one transaction;
    // claims that arrive meanwhile wait for the next batch. No background task: the last claimer drains the queue.
    private readonly ConcurrentQueue<Claim> _pending = new();
    private int _writing;
    private const int MaxBatch = 256;

    private async Task WriteWhileAnyPendingAsync()
    {
        while (!_pending.IsEmpty && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            var batch = new List<Claim>();
            try
            {
                while (batch.Count < MaxBatch && _pending.TryDequeue(out var claim)) batch.Add(claim);
                if (batch.Count > 0) await WriteAsync(batch);
            }
            catch (Exception ex)
            {
                foreach (var claim in batch) claim.Claimed.TrySetException(ex);
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }

    private async Task WriteAsync(List<Claim> batch)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)Window.TotalMilliseconds;
        await using var db = await dbs.CreateDbContextAsync();
        using var writer = await db.WriterAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var claimed = await ClaimAllAsync(db, transaction.GetDbTransaction(), batch, now, until);
        await PruneIfDueAsync(db, now, CancellationToken.None);
        await transaction.CommitAsync();
        for (var i = 0; i < batch.Count; i++) batch[i].Claimed.TrySetResult(claimed[i]);
    }

    /// <summary>
    /// One statement for the whole batch on both engines: a new key is inserted, a lapsed one taken over, and RETURNING
    /// names the keys claimed. (One statement per claim cost a parse and a round of EF's command plumbing each, a tenth
    /// of a read-only turn.) A key twice in one batch (a channel's quick re-send) is claimed at its first place only:
    /// PostgreSQL refuses one statement updating a row twice, so it is sent once.
    /// </summary>
    private static async Task<bool[]> ClaimAllAsync(RolloutDb db, System.Data.Common.DbTransaction transaction, List<Claim> batch,
        long now, long until)
    {
        var first = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++) first.TryAdd(batch[i].Key, i);

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO seen_activities (activity_key, until_ms) VALUES ");
        var n = 0;
        foreach (var key in first.Keys)
        {
            if (n > 0) sql.Append(", ");
            sql.Append("(@k").Append(n).Append(", @until)");
            command.AddParameter($"@k{n}", key);
            n++;
        }
        sql.Append(" ON CONFLICT (activity_key) DO UPDATE SET until_ms = excluded.until_ms WHERE seen_activities.until_ms < @now");
        sql.Append(" RETURNING activity_key");
        command.AddParameter("@until", until);
        command.AddParameter("@now", now);
        command.CommandText = sql.ToString();

        var claimed = new bool[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) claimed[first[reader.GetString(0)]] = true;
        return claimed;
    }

    private sealed record Claim(string Key)
    {
        public TaskCompletionSource<bool> Claimed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The turn failed: the channel's re-send of the same activity is processed. Never throws.</summary>
    public async Task ReleaseAsync(string key)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            using var writer = await db.WriterAsync(CancellationToken.None);
            await db.Database.ExecuteSqlAsync($"DELETE FROM seen_activities WHERE activity_key = {key}");
        }
        catch (Exception ex)
        {
            // The claim lapses by itself after the window; a re-send before then is dropped, which is logged here.
            logger.LogWarning(ex, "Could not give back the claim on a failed activity; a re-send within {Window} is dropped", Window);
        }
    }

    private async Task PruneIfDueAsync(RolloutDb db, long now, CancellationToken ct)
    {
        var due = Interlocked.Read(ref _nextPruneMs);
        if (now < due || Interlocked.CompareExchange(ref _nextPruneMs, now + (long)PruneEvery.TotalMilliseconds, due) != due) return;
        var removed = await db.Database.ExecuteSqlAsync($"DELETE FROM seen_activities WHERE until_ms < {now}", ct);
        if (removed > 0) logger.LogDebug("Pruned {Count} lapsed activity claims", removed);
    }
}
