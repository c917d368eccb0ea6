using System.Collections.Concurrent;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Channels re-send an activity when the bot was slow (Teams after ~15 s, Direct Line on 502): the same
/// (channelId, conversation id, activity id) is processed once within the window.
/// </summary>
public sealed class ActivityDeduplicator(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string, string, string), DateTimeOffset> _seen = new();
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>True the first time a key is offered within the window.</summary>
    public bool TryClaim(string channelId, string conversationId, string activityId)
    {
        var now = clock.GetUtcNow();
        Sweep(now);
        var key = (channelId, conversationId, activityId);
        if (_seen.TryAdd(key, now)) return true;
        if (_seen.TryGetValue(key, out var at) && now - at > Window && _seen.TryUpdate(key, now, at)) return true;
        return false;
    }

    private void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep) return;
        _nextSweep = now + Window;
        foreach (var (key, at) in _seen)
        {
            if (now - at > Window) _seen.TryRemove(key, out _);
        }
    }
}
