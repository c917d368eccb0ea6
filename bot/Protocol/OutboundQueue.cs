using System.Threading.Channels;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

public enum OutboundKind { Send, Update }

public sealed record OutboundActivity(OutboundKind Kind, Activity Activity);

/// <summary>
/// Replies of the current turn, sent in the background. One lane per conversation hash keeps each
/// conversation's replies in order while different conversations go out in parallel. Durable notices that must
/// survive a restart do not come through here: they go to the database outbox with the change that caused them.
/// </summary>
public sealed class OutboundQueue
{
    internal const int Lanes = 8;

    private readonly Channel<OutboundActivity>[] _lanes = Enumerable.Range(0, Lanes)
        .Select(_ => Channel.CreateUnbounded<OutboundActivity>(new UnboundedChannelOptions { SingleReader = true }))
        .ToArray();

    public void Enqueue(OutboundActivity item)
    {
        var key = item.Activity.Conversation?.Id ?? "";
        var lane = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Lanes);
        _lanes[lane].Writer.TryWrite(item);
    }

    internal ChannelReader<OutboundActivity> Lane(int index) => _lanes[index].Reader;
}

/// <summary>Drains the reply lanes through the Connector; a reply the channel refuses is logged, not retried in a loop.</summary>
public sealed class OutboundSender(OutboundQueue queue, IConnector connector, ILogger<OutboundSender> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, OutboundQueue.Lanes).Select(i => DrainAsync(queue.Lane(i), stoppingToken)));

    private async Task DrainAsync(ChannelReader<OutboundActivity> lane, CancellationToken ct)
    {
        try
        {
            await foreach (var item in lane.ReadAllAsync(ct))
            {
                await SendOneAsync(item, ct);
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
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Could not deliver {Kind} to conversation {Conversation}", item.Kind, activity.Conversation?.Id);
        }
    }
}
