using System.Collections.Concurrent;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>A channel that records what the bot sends; tests wait on it instead of sleeping.</summary>
public sealed class FakeConnector : IConnector
{
    private readonly ConcurrentQueue<(string Op, Activity Activity)> _calls = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _nextId;

    public IReadOnlyList<(string Op, Activity Activity)> Calls => _calls.ToList();

    public IEnumerable<Activity> Sent => _calls.Where(c => c.Op != "update").Select(c => c.Activity);

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        Record("send", activity);

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        Record("reply", activity);

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        Record("update", activity);

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken ct = default) =>
        Record("delete", new Activity { Id = activityId, Conversation = new ConversationAccount { Id = conversationId } });

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken ct = default)
    {
        var id = "conv-" + Interlocked.Increment(ref _nextId);
        return Task.FromResult(new ConversationResourceResponse { Id = id, ServiceUrl = serviceUrl });
    }

    private Task<ResourceResponse> Record(string op, Activity activity)
    {
        var id = activity.Id ?? "act-" + Interlocked.Increment(ref _nextId);
        _calls.Enqueue((op, activity));
        _arrived.Release();
        return Task.FromResult(new ResourceResponse { Id = id });
    }

    /// <summary>Waits until at least <paramref name="count"/> calls in total have arrived (bounded, never a sleep).</summary>
    public async Task<IReadOnlyList<(string Op, Activity Activity)>> WaitForCallsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_calls.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"Expected {count} connector calls, got {_calls.Count}.");
        }
        return Calls;
    }
}
