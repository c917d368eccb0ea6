using System.Collections.Concurrent;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Channels re-send an activity when the bot was slow (Teams after ~15 s, Direct Line on 502): the same
/// (channelId, conversation id, activity id) is processed once. Ids are kept in two generations that swap every
/// <see cref="Generation"/> (or when one grows past <see cref="MaxPerGeneration"/>), so an id is remembered for
/// 5 to 10 minutes at O(1) cost per turn and memory stays bounded under load.
/// </summary>
public sealed class ActivityDeduplicator(TimeProvider clock)
{
    internal static readonly TimeSpan Generation = TimeSpan.FromMinutes(5);
    internal const int MaxPerGeneration = 200_000;

    private readonly object _rotateLock = new();
    private ConcurrentDictionary<(string, string, string), byte> _current = new();
    private ConcurrentDictionary<(string, string, string), byte> _previous = new();
    private DateTimeOffset _rotateAt = DateTimeOffset.MinValue;
    // ConcurrentDictionary.Count takes every bucket lock: reading it on each turn serialised all turns on one lock.
    private int _claimedInCurrent;

    /// <summary>True the first time a key is offered within the window.</summary>
    public bool TryClaim(string channelId, string conversationId, string activityId)
    {
        RotateIfDue();
        var key = (channelId, conversationId, activityId);
        var previous = _previous;
        if (previous.ContainsKey(key)) return false;
        if (!_current.TryAdd(key, 0)) return false;
        Interlocked.Increment(ref _claimedInCurrent);
        return true;
    }

    private void RotateIfDue()
    {
        var now = clock.GetUtcNow();
        if (now < _rotateAt && Volatile.Read(ref _claimedInCurrent) < MaxPerGeneration) return;
        lock (_rotateLock)
        {
            if (now < _rotateAt && Volatile.Read(ref _claimedInCurrent) < MaxPerGeneration) return;
            _previous = _current;
            _current = new ConcurrentDictionary<(string, string, string), byte>();
            Volatile.Write(ref _claimedInCurrent, 0);
            _rotateAt = now + Generation;
        }
    }
}
