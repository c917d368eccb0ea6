using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Channels re-send an activity when the bot was slow or failed (Teams after ~15 s, Direct Line on a 5xx): the same
/// (channelId, conversation id, activity id) is processed once, by whichever instance claims it first in the shared
/// database, before or after a restart. A claim is a lease while the turn runs; only a completed turn makes the
/// activity "seen" for <see cref="Window"/>. A failed turn gives its claim back, so the channel's re-send is processed;
/// a claim whose instance died lapses after <see cref="Lease"/>.
/// </summary>
public sealed class ActivityDeduplicator(IDbContextFactory<RolloutDb> dbs, TimeProvider clock, ILogger<ActivityDeduplicator> logger)
{
    /// <summary>How long a completed activity is remembered (PROTOCOL §7 asks for at least 60 s; Teams re-sends within a minute).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>How long a running turn holds its claim; turns take milliseconds, a channel gives up after 15 s.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private long _nextPruneMs;

    /// <summary>The key of one activity: bounded whatever the ids' lengths.</summary>
    public static string Key(string channelId, string conversationId, string activityId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{conversationId}\n{activityId}")));

    /// <summary>True when this instance may run the turn: nobody completed it within the window, nor is running it now.</summary>
    public async Task<bool> TryClaimAsync(string key, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)Lease.TotalMilliseconds;
        await using var db = await dbs.CreateDbContextAsync(ct);
        // One statement on both engines: a new key is inserted, a lapsed one (expired window or dead lease) taken over.
        var claimed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO seen_activities (activity_key, until_ms) VALUES ({key}, {until})
            ON CONFLICT (activity_key) DO UPDATE SET until_ms = excluded.until_ms WHERE seen_activities.until_ms < {now}
            """, ct);
        await PruneIfDueAsync(db, now, ct);
        return claimed == 1;
    }

    /// <summary>The turn completed: a re-send within the window is a duplicate.</summary>
    public async Task CompleteAsync(string key, CancellationToken ct)
    {
        var until = clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)Window.TotalMilliseconds;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"UPDATE seen_activities SET until_ms = {until} WHERE activity_key = {key}", ct);
    }

    /// <summary>The turn failed: the channel's re-send of the same activity is processed. Never throws.</summary>
    public async Task ReleaseAsync(string key)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            await db.Database.ExecuteSqlAsync($"DELETE FROM seen_activities WHERE activity_key = {key}");
        }
        catch (Exception ex)
        {
            // The lease lapses by itself after a minute; a re-send before then is dropped, which is logged here.
            logger.LogWarning(ex, "Could not give back the claim on a failed activity; a re-send within {Lease} is dropped", Lease);
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
