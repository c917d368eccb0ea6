using Rollout.Bot.Operations;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Runs one turn for an activity that has already passed authentication (Bot Builder's CloudAdapter, without
/// the HTTP): drops duplicates, remembers the conversation, calls the bot, and hands back an invoke response.
/// </summary>
public sealed class BotAdapter(
    IBot bot, OutboundQueue outbound, ConversationStore conversations, ActivityDeduplicator dedup, ILogger<BotAdapter> logger,
    IEnumerable<IInboundObserver> observers, BotMeters meters)
{
    /// <param name="authenticated">True when a valid channel token came with the activity: its serviceUrl is then trusted.</param>
    public async Task<InvokeResponse?> ProcessActivityAsync(Activity activity, CancellationToken ct, bool authenticated = false)
    {
        var key = activity.Id is { Length: > 0 } id ? ActivityDeduplicator.Key(activity.ChannelId!, activity.Conversation!.Id!, id) : null;
        if (key is not null && !await dedup.TryClaimAsync(key, ct))
        {
            logger.LogInformation("Dropped duplicate activity {ActivityId} in {Conversation}", activity.Id, activity.Conversation!.Id);
            return activity.Type == ActivityTypes.Invoke ? new InvokeResponse { Status = 200 } : null;
        }

        meters.Turn(activity.Type ?? "unknown");
        var turn = new TurnContext(activity, outbound);
        try
        {
            await conversations.RememberAsync(activity, authenticated, ct);
            foreach (var observer in observers) await observer.OnInboundAsync(activity, ct);
            await bot.OnTurnAsync(turn, ct);
        }
        catch when (key is not null)
        {
            await dedup.ReleaseAsync(key);
            throw;
        }
        // A turn that failed on our side stays open to the channel's re-send.
        if (key is not null && turn.Failed) await dedup.ReleaseAsync(key);

        // Backpressure: when the channel takes replies slower than users send turns, answer the channel only once
        // there is room again, instead of letting the reply backlog grow without bound.
        await outbound.WaitForRoomAsync(activity.ServiceUrl, ct);

        if (activity.Type == ActivityTypes.Invoke)
        {
            // Bot Builder answers 501 when an invoke went unhandled.
            return turn.InvokeResponse ?? new InvokeResponse { Status = 501 };
        }
        return null;
    }
}
