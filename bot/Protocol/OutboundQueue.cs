using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

public enum OutboundKind { Send, Update }

public sealed record OutboundActivity(OutboundKind Kind, Activity Activity);

/// <summary>
/// Replies of the current turn, sent in the background. Each conversation has its own FIFO and at most one call
/// in flight, so its replies arrive in order and a conversation waiting out a 429 holds up no other. One serviceUrl
/// (one channel) has at most <see cref="OutboundOptions.MaxInFlightPerServiceUrl"/> of the senders at once and at most
/// <see cref="OutboundOptions.MaxBacklogPerServiceUrl"/> replies waiting, so a channel that stops answering delays only
/// its own conversations. The backlog is bounded: past it, new turns of that channel (or of all, when the whole
/// backlog is full) wait for room. Durable notices that must survive a restart do not come through here: they go to
/// the database outbox with the change that caused them.
/// </summary>
public sealed class OutboundQueue(IOptions<OutboundOptions> options)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<OutboundActivity>> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _begun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UrlShare> _channels = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<string> _ready = Channel.CreateUnbounded<string>();
    private TaskCompletionSource? _room;
    private int _backlog;

    /// <summary>What one serviceUrl has queued and in flight, and its conversations waiting for one of its sender slots.</summary>
    private sealed class UrlShare
    {
        public int Backlog;
        public int InFlight;
        public Queue<string> Waiting { get; } = new();
    }

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
            ChannelOf(item).Backlog++;
        }
        if (schedule) _ready.Writer.TryWrite(key);
    }

    /// <summary>
    /// Completes at once while there is room; otherwise when a send frees some. A turn from a channel whose own share
    /// is full waits for that channel, not for the others.
    /// </summary>
    public Task WaitForRoomAsync(CancellationToken ct) => WaitForRoomAsync(null, ct);

    public async Task WaitForRoomAsync(string? serviceUrl, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                var channelFull = serviceUrl is not null && _channels.TryGetValue(serviceUrl, out var channel)
                    && channel.Backlog >= options.Value.MaxBacklogPerServiceUrl;
                if (_backlog < options.Value.MaxBacklog && !channelFull) return;
                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _room.Task;
            }
            await wait.WaitAsync(ct);
        }
    }

    internal ChannelReader<string> Ready => _ready.Reader;

    internal OutboundActivity Peek(string conversationId)
    {
        lock (_lock) return _conversations[conversationId].Peek();
    }

    /// <summary>
    /// Takes a sender slot of the conversation's serviceUrl for its next reply; when they are all in use the
    /// conversation waits for one (it is scheduled again by <see cref="Complete"/>) and this returns false.
    /// </summary>
    internal bool TryBegin(string conversationId)
    {
        lock (_lock)
        {
            var item = _conversations[conversationId].Peek();
            var url = UrlOf(item);
            var channel = ChannelOf(item);
            if (channel.InFlight >= options.Value.MaxInFlightPerServiceUrl)
            {
                channel.Waiting.Enqueue(conversationId);
                return false;
            }
            channel.InFlight++;
            _begun[conversationId] = url;
            return true;
        }
    }

    /// <summary>Drops the item just sent; schedules the conversation again when more is waiting.</summary>
    internal void Complete(string conversationId)
    {
        var ready = new List<string>(2);
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            var queue = _conversations[conversationId];
            var item = queue.Dequeue();
            _backlog--;
            var channel = ChannelOf(item);
            channel.Backlog--;
            if (_begun.Remove(conversationId, out var url) && _channels.TryGetValue(url, out var begun))
            {
                begun.InFlight--;
                if (begun.Waiting.Count > 0) ready.Add(begun.Waiting.Dequeue());
            }
            if (queue.Count > 0) ready.Add(conversationId);
            else _conversations.Remove(conversationId);
            foreach (var (key, _) in _channels.Where(c => c.Value is { Backlog: 0, InFlight: 0 }).ToList()) _channels.Remove(key);
            if (_room is not null)
            {
                room = _room;
                _room = null;
            }
        }
        // Waiters re-check their own condition; waking them all is simpler than tracking who waits for what.
        room?.SetResult();
        foreach (var key in ready) _ready.Writer.TryWrite(key);
    }

    private static string UrlOf(OutboundActivity item) => item.Activity.ServiceUrl ?? "";

    private UrlShare ChannelOf(OutboundActivity item)
    {
        var url = UrlOf(item);
        if (!_channels.TryGetValue(url, out var channel)) _channels[url] = channel = new UrlShare();
        return channel;
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
                if (!queue.TryBegin(conversationId)) continue;
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
        // A channel that takes the request and never answers gets this long, not HttpClient's 100 s: long enough for any
        // healthy channel, short enough that its conversations' next replies are not held for minutes.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SendTimeout);
        try
        {
            var serviceUrl = activity.ServiceUrl ?? throw new InvalidOperationException("Outbound activity has no serviceUrl.");
            if (item.Kind == OutboundKind.Update)
                await connector.UpdateActivityAsync(serviceUrl, activity, timeout.Token);
            else if (activity.ReplyToId is not null)
                await connector.ReplyToActivityAsync(serviceUrl, activity, timeout.Token);
            else
                await connector.SendToConversationAsync(serviceUrl, activity, timeout.Token);
            meters.Reply();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not deliver {Kind} to conversation {Conversation}", item.Kind, activity.Conversation?.Id);
        }
    }
}
