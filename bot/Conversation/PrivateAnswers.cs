using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>
/// Shared-room etiquette: what is meant for one person (a refusal, the confirmation of their click, a choice only they
/// make) is not said in front of the room. In a room it goes to their personal chat, through the outbox (which opens
/// the chat in Teams, or keeps it until they open one in Web Chat), and the room reads one line pointing there.
/// </summary>
public sealed class PrivateAnswers(IDbContextFactory<RolloutDb> dbs, Outbox outbox)
{
    public async Task TellAsync(TurnContext turn, BotMessage message, CancellationToken ct)
    {
        if (!turn.IsGroup || string.IsNullOrEmpty(turn.UserId))
        {
            turn.Reply(message);
            return;
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        var reachable = (await NoticeDelivery.PeopleAsync(db, [turn.UserId], ct))[turn.UserId] is not null;
        // One answer per inbound activity, even when the channel re-sends it.
        var key = $"answer:{turn.ChannelId}:{turn.ConversationId}:{(turn.ActivityId.Length > 0 ? turn.ActivityId : Guid.NewGuid().ToString("N"))}";
        await outbox.AddAsync(db, key, NoticeRecipient.User(turn.UserId), message, null, ct);
        await db.SaveChangesAsync(ct);
        var where = reachable ? "I answered you in our personal chat." : "My answer waits for you in a personal chat with me: open one to read it.";
        turn.Reply(new BotMessage { Text = $"{BotMessage.Mention(turn.UserId)} {where}", Mentions = [new Person(turn.UserId, turn.UserName)] });
    }
}
