using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Notices;

/// <summary>
/// A channel for notice tests: records every call with the (possibly manual) time it arrived, and fails the calls
/// <see cref="Fail"/> picks with a ConnectorException of the status it returns, as the real client does when it gives up.
/// </summary>
public sealed class FlakyConnector(TimeProvider? clock = null) : IConnector
{
    public sealed record Call(string Op, string ConversationId, Activity Activity, DateTimeOffset At, ConversationParameters? Create = null);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly List<Call> _calls = [];
    private readonly List<Call> _refused = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private int _nextId;

    /// <summary>Given the operation and the activity, a status to fail with, or null to succeed.</summary>
    public Func<string, Activity, int?>? Fail { get; set; }

    /// <summary>When set, every call waits here until the test or host cancels it (a process stopped mid-send).</summary>
    public bool Hang { get; set; }

    private int _hanging;

    /// <summary>When set, each call first awaits what it returns for the call's conversation (a channel slow for one of them).</summary>
    public Func<string, CancellationToken, Task>? Before { get; set; }

    /// <summary>Calls now waiting in <see cref="Hang"/>.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    public IReadOnlyList<Call> Calls { get { lock (_calls) return _calls.ToList(); } }
    public IReadOnlyList<Call> Refused { get { lock (_calls) return _refused.ToList(); } }

    /// <summary>Notices that reached a conversation (proactive sends and new threads, not replies to commands).</summary>
    public IReadOnlyList<Call> Notices => Calls.Where(c => c.Op is "send" or "create").ToList();

    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        RecordAsync("send", activity, null, ct);

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        RecordAsync("reply", activity, null, ct);

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        RecordAsync("update", activity, null, ct);

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken ct = default) =>
        RecordAsync("delete", new Activity { Id = activityId, Conversation = new ConversationAccount { Id = conversationId } }, null, ct);

    public async Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters,
        CancellationToken ct = default)
    {
        var conversationId = "created-" + Interlocked.Increment(ref _nextId);
        var activity = parameters.Activity ?? new Activity();
        activity.Conversation ??= new ConversationAccount { Id = conversationId };
        if (parameters.Activity is null)
        {
            // A bare 1:1 creation (the message follows as a send): record it, it is not a notice.
            await RecordAsync("create-personal", activity, parameters, ct);
            return new ConversationResourceResponse { Id = conversationId, ServiceUrl = serviceUrl };
        }
        var sent = await RecordAsync("create", activity, parameters, ct);
        return new ConversationResourceResponse { Id = conversationId, ActivityId = sent.Id, ServiceUrl = serviceUrl };
    }

    private async Task<ResourceResponse> RecordAsync(string op, Activity activity, ConversationParameters? create, CancellationToken ct)
    {
        if (Before is { } before)
        {
            var gate = before(activity.Conversation?.Id ?? "", ct);
            _arrived.Release(); // what the hook counted before its first await is visible to WaitUntilAsync now
            await gate;
        }
        if (Hang)
        {
            Interlocked.Increment(ref _hanging);
            _arrived.Release();
            await Task.Delay(Timeout.Infinite, ct);
        }
        var call = new Call(op, activity.Conversation?.Id ?? "", activity, _clock.GetUtcNow(), create);
        var status = Fail?.Invoke(op, activity);
        lock (_calls) (status is null ? _calls : _refused).Add(call);
        _arrived.Release();
        if (status is { } code) throw new ConnectorException(code, code == 403 ? "MessageWritesBlocked" : "Throttled", $"fake channel answered {code}");
        return new ResourceResponse { Id = op == "update" ? activity.Id : "act-" + Interlocked.Increment(ref _nextId) };
    }

    /// <summary>Waits (bounded, never a sleep) until the calls so far satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<Call>> WaitForAsync(Func<IReadOnlyList<Call>, bool> condition, TimeSpan? timeout = null)
    {
        await WaitUntilAsync(() => condition(Calls), timeout);
        return Calls;
    }

    /// <summary>Re-checks <paramref name="condition"/> whenever a call arrives, is refused or starts hanging.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"The channel did not see what the test waited for; calls: " +
                    string.Join("; ", Calls.Select(c => $"{c.Op} {c.ConversationId} {c.Activity.Text}")) + $"; refused {Refused.Count}");
        }
    }
}
