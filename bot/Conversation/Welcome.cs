using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>A conversation the bot has said hello in, so that it says it once (Teams and its emulator repeat install events).</summary>
public sealed class WelcomedConversation
{
    public required string ChannelId { get; set; }
    public required string ConversationId { get; set; }
    public DateTimeOffset WelcomedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<WelcomedConversation>(e =>
    {
        e.ToTable("welcomed_conversations");
        e.HasKey(w => new { w.ChannelId, w.ConversationId });
    });
}

/// <summary>
/// Hello, once per conversation: a room (Teams channel or group chat, a Web Chat room) hears one welcome when the bot
/// arrives or first sees someone join, never a "Welcome, name" per person in front of everyone; a personal chat gets
/// a welcome addressed to its person.
/// </summary>
public sealed class Welcome(IDbContextFactory<RolloutDb> dbs, TimeProvider clock)
{
    public async Task OnJoinedAsync(TurnContext turn, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(turn.ConversationId) || !await FirstTimeAsync(turn, ct)) return;
        turn.Reply(turn.IsGroup ? ForRoom(turn.ChannelId) : ForPerson(turn));
    }

    private static string ForRoom(string channelId) =>
        "Hello, everyone. I run the staged rollout of middleware releases: tickets, early adopters, notices and deadlines. " +
        (channelId == PersonalConversations.Teams ? "Here, @mention me before a command (`@Rollout.Bot help`). " : "Type `help` to see what you can ask me. ") +
        "What is meant for one of you alone (a refusal, a confirmation) I send to that person's personal chat with me.";

    private static string ForPerson(TurnContext turn)
    {
        // Teams names nobody in install events: the id is no greeting.
        var person = turn.MembersAdded.FirstOrDefault(m => m.Id == turn.UserId) ?? turn.MembersAdded.FirstOrDefault();
        var name = person?.Name is { Length: > 0 } n && n != person.Id ? $", {n}" : "";
        return $"Welcome{name}. I run the staged rollout of middleware releases: tickets, early adopters, notices and deadlines. " +
            "Type `help` to see what you can do; what concerns only you comes here.";
    }

    private async Task<bool> FirstTimeAsync(TurnContext turn, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.WelcomedConversations.AnyAsync(w => w.ChannelId == turn.ChannelId && w.ConversationId == turn.ConversationId, ct))
            return false;
        db.WelcomedConversations.Add(new WelcomedConversation
        {
            ChannelId = turn.ChannelId, ConversationId = turn.ConversationId, WelcomedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return false; // the same event, handled at the same moment by another turn or instance
        }
    }
}
