using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

public enum OutboundKind { Send, Update }

public sealed record OutboundActivity(OutboundKind Kind, Activity Activity);

/// <summary>
/// Replies of the current turn, sent in the background. Each conversation has its own FIFO and at most one call
/// in flight, so its replies arrive in order and a conversation waiting out a 429 holds up no other. The backlog
/// is bounded: past <see cref="OutboundOptions.MaxBacklog"/>, new turns wait for room. Durable notices that must
/// survive a restart do not come through here: they go to the database outbox with the change that caused them.
/// </summary>
public sealed class OutboundQueue(IOptions<OutboundOptions> options)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<OutboundActivity>> _conversations = new(StringComparer.Ordinal);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private TaskCompletionSource? _room;
    private int _backlog;

    public int Backlog { get { lock (_lock) return _backlog; } }

    public void Enqueue(OutboundActivity item)
    {
        var key = item.Activity.Conversation?.Id ?? "";
        bool schedule;
        lock (_lock)
        {
            // A conversation is in the dictionary exactly while it has work scheduled or in flight.
            schedule = !_conversations.TryGetValue(key, out var queue);
            if (schedule) _conversations[key] = queue = new Queue<OutboundActivity>();
            queue!.Enqueue(item);
            _backlog++;
        }
        if (schedule) _ready.Writer.TryWrite(key);
    }

    /// <summary>Completes at once while the backlog is under its bound; otherwise when a send frees room.</summary>
    public Task WaitForRoomAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            if (_backlog < options.Value.MaxBacklog) return Task.CompletedTask;
            _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(ct);
        }
    }

    internal ChannelReader<string> Ready => _ready.Reader;

    internal OutboundActivity Peek(string conversationId)
    {
        lock (_lock) return _conversations[conversationId].Peek();
    }

    /// <summary>Drops the item just sent; schedules the conversation again when more is waiting.</summary>
    internal void Complete(string conversationId)
    {
        bool reschedule;
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            var queue = _conversations[conversationId];
            queue.Dequeue();
            _backlog--;
            reschedule = queue.Count > 0;
            if (!reschedule) _conversations.Remove(conversationId);
            if (_room is not null && _backlog < options.Value.MaxBacklog)
            {
                room = _room;
                _room = null;
            }
        }
        room?.SetResult();
        if (reschedule) _ready.Writer.TryWrite(conversationId);
    }
}

/// <summary>A pool of senders draining the reply queue through the Connector; a refused reply is logged, not retried in a loop.</summary>
public sealed class OutboundSender(
    OutboundQueue queue, IConnector connector, IOptions<OutboundOptions> options, ILogger<OutboundSender> logger, Operations.BotMeters meters)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Senders).Select(_ => DrainAsync(stoppingToken)));

    private async Task DrainAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var conversationId in queue.Ready.ReadAllAsync(ct))
            {
                await SendOneAsync(queue.Peek(conversationId), ct);
                queue.Complete(conversationId);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendOneAsync(OutboundActivity item, CancellationToken ct)
    {
        var activity = item.Activity;
        try
        {
            var serviceUrl = activity.ServiceUrl ?? throw new InvalidOperationException("Outbound activity has no serviceUrl.");
            if (item.Kind == OutboundKind.Update)
                await connector.UpdateActivityAsync(serviceUrl, activity, ct);
            else if (activity.ReplyToId is not null)
                await connector.ReplyToActivityAsync(serviceUrl, activity, ct);
            else
                await connector.SendToConversationAsync(serviceUrl, activity, ct);
            meters.Reply();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not deliver {Kind} to conversation {Conversation}", item.Kind, activity.Conversation?.Id);
        }
    }
}
