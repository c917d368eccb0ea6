using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Notices;

namespace Rollout.Bot.Tests.Conversation;

/// <summary>Shared-room etiquette: what is meant for one person is said to that person, and a room is greeted once.</summary>
public sealed class SharedRoomTests : IDisposable
{
    private readonly NoticesApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Refusal_InARoom_GoesToTheAsker_AndTheRoomReadsOnlyAPointer()
    {
        await _app.SayAsync("/whoami", "u-bob", "conv-bob");

        var inRoom = await _app.SayAsync("/close #1 outcome=success summary=done", "u-bob", "room-ea", isGroup: true);

        Assert.Contains("I answered you in our personal chat", inRoom);
        Assert.DoesNotContain("coordinators", inRoom);
        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == "conv-bob"));
        var privately = calls.First(x => x.Op == "send" && x.ConversationId == "conv-bob").Activity.Text;
        Assert.Contains("Only coordinators can use `/close`", privately);
    }

    [Fact]
    public async Task Typo_InARoom_IsAnsweredToTheOneWhoTypedIt_AndWaitsUntilTheyOpenAPersonalChat()
    {
        var inRoom = await _app.SayAsync("/acept #1", "u-carol", "room-ea", isGroup: true);

        Assert.Contains("waits for you in a personal chat", inRoom);
        Assert.DoesNotContain("acept", inRoom);
        await WaitUntilParkedAsync("user:u-carol");
        await _app.SayAsync("/whoami", "u-carol", "conv-carol");
        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == "conv-carol"));
        Assert.Contains("Did you mean `/accept`", calls.First(x => x.Op == "send" && x.ConversationId == "conv-carol").Activity.Text);
    }

    [Fact]
    public async Task Refusal_InAPersonalChat_IsAnsweredThere()
    {
        Assert.Contains("Only coordinators can use `/close`", await _app.SayAsync("/close #1 outcome=success summary=done", "u-bob", "conv-bob"));
    }

    [Fact]
    public async Task Room_IsWelcomedOnce_WhenTheBotArrives_AndNotForEachPersonJoining()
    {
        await _app.PostAsync(Joined("room-ea", isGroup: true, "bot", "u-alice"));
        await _app.PostAsync(Joined("room-ea", isGroup: true, "bot", "u-alice")); // Teams repeats its install events
        await _app.PostAsync(Joined("room-ea", isGroup: true, "u-bob"));
        await _app.SayAsync("/whoami", "u-bob", "room-ea", isGroup: true);

        var room = _app.Connector.Calls.Where(c => c.Op == "reply" && c.ConversationId == "room-ea").Select(c => c.Activity.Text ?? "").ToList();
        Assert.Single(room, t => t.StartsWith("Hello, everyone"));
        Assert.DoesNotContain(room, t => t.Contains("Welcome"));
    }

    [Fact]
    public async Task PersonalChat_IsWelcomedByName_Once()
    {
        await _app.PostAsync(Joined("conv-alice", isGroup: false, "u-alice"));
        await _app.PostAsync(Joined("conv-alice", isGroup: false, "u-alice"));
        var welcome = await _app.SayAsync("/whoami", "u-alice", "conv-alice");

        var replies = _app.Connector.Calls.Where(c => c.Op == "reply" && c.ConversationId == "conv-alice").Select(c => c.Activity.Text ?? "").ToList();
        Assert.Single(replies, t => t.StartsWith("Welcome, Alice."));
        await using var db = await _app.DbAsync();
        Assert.Equal(1, await db.WelcomedConversations.CountAsync(w => w.ConversationId == "conv-alice"));
    }

    private async Task WaitUntilParkedAsync(string recipient)
    {
        for (var i = 0; i < 150; i++)
        {
            await using var db = await _app.DbAsync();
            if (await db.Notices.AnyAsync(n => n.Recipient == recipient && n.State == Rollout.Bot.Notices.NoticeState.Parked)) return;
            await Task.Delay(100);
        }
        Assert.Fail($"Nothing was parked for {recipient}.");
    }

    private static Activity Joined(string conversationId, bool isGroup, params string[] members)
    {
        var activity = BotApp.Message("", members[^1], "Alice", conversationId, isGroup);
        activity.Type = ActivityTypes.ConversationUpdate;
        activity.Text = null;
        activity.MembersAdded = members.Select(m => new ChannelAccount { Id = m, Name = m == "bot" ? "Rollout.Bot" : m == "u-alice" ? "Alice" : m }).ToList();
        return activity;
    }
}
