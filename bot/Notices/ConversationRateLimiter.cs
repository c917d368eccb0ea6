using System.Collections.Concurrent;

namespace Rollout.Bot.Notices;

/// <summary>
/// A sliding window per conversation: at most <c>perSecond</c> sends in any second, bursts included (Teams: 7 sends per
/// bot per thread per second, PROTOCOL §2). The channel counts arrivals, not departures: two sends one second apart here
/// can arrive less than a second apart there (the first one slower on the wire), so the window is one second plus
/// <paramref name="margin"/>. Time comes from the TimeProvider.
/// </summary>
public sealed class ConversationRateLimiter(TimeProvider clock, int perSecond, TimeSpan margin = default)
{
    private readonly TimeSpan _window = TimeSpan.FromSeconds(1) + margin;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a send slot, or says when the next one frees up.</summary>
    public bool TryTake(string key, out DateTimeOffset nextFreeAt)
    {
        var now = clock.GetUtcNow();
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket());
        lock (bucket)
        {
            // Sliding window of the last sends: exact "no more than N in any second", which a refilling bucket
            // with fractional tokens only approximates.
            while (bucket.Sends.Count > 0 && now - bucket.Sends.Peek() >= _window) bucket.Sends.Dequeue();
            if (bucket.Sends.Count < perSecond)
            {
                bucket.Sends.Enqueue(now);
                nextFreeAt = now;
                return true;
            }
            nextFreeAt = bucket.Sends.Peek() + _window;
            return false;
        }
    }

    private sealed class Bucket
    {
        public Queue<DateTimeOffset> Sends { get; } = new();
    }
}
