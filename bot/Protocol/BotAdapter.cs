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
    public async Task<InvokeResponse?> ProcessActivityAsync(Activity activity, CancellationToken ct)
    {
        if (activity.Id is { Length: > 0 } id && !dedup.TryClaim(activity.ChannelId!, activity.Conversation!.Id!, id))
        {
            logger.LogInformation("Dropped duplicate activity {ActivityId} in {Conversation}", id, activity.Conversation.Id);
            return activity.Type == ActivityTypes.Invoke ? new InvokeResponse { Status = 200 } : null;
        }

        meters.Turn(activity.Type ?? "unknown");
        await conversations.RememberAsync(activity, ct);
        foreach (var observer in observers) await observer.OnInboundAsync(activity, ct);
        var turn = new TurnContext(activity, outbound);
        await bot.OnTurnAsync(turn, ct);

        // Backpressure: when the channel takes replies slower than users send turns, answer the channel only once
        // there is room again, instead of letting the reply backlog grow without bound.
        await outbound.WaitForRoomAsync(ct);

        if (activity.Type == ActivityTypes.Invoke)
        {
            // Bot Builder answers 501 when an invoke went unhandled.
            return turn.InvokeResponse ?? new InvokeResponse { Status = 501 };
        }
        return null;
    }
}
