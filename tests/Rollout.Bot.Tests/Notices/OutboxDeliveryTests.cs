using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Notices;

public sealed class OutboxDeliveryTests : IDisposable
{
    private readonly NoticesApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task NoticeToABoundChannel_IsDeliveredExactlyOnce_EvenWhenQueuedTwice()
    {
        await _app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        var to = NoticeRecipient.Channel("operations");

        await _app.AddAsync(("ticket:42:verified", to, "Ticket 42 verified"));
        await using (var db = await _app.DbAsync())
        {
            Assert.False(await _app.Get<Outbox>().AddAsync(db, "ticket:42:verified", to, "Ticket 42 verified again"));
        }
        await _app.AddAsync(("ticket:43:verified", to, "Ticket 43 verified"));

        await _app.Connector.WaitForAsync(c => c.Count(x => x.Op == "send") == 2);
        await _app.Get<OutboxDispatcher>().RunOnceAsync();
        var sends = _app.Connector.Notices;
        Assert.Equal(["Ticket 42 verified", "Ticket 43 verified"], sends.Select(s => s.Activity.Text));
        Assert.All(sends, s => Assert.Equal("conv-ops", s.ConversationId));
        var notice = await _app.NoticeAsync("ticket:42:verified");
        Assert.Equal(NoticeState.Sent, notice.State);
        Assert.False(string.IsNullOrEmpty(notice.SentActivityId));
    }

    [Fact]
    public async Task CommittingANotice_WakesTheDispatcher_WithoutWaitingForItsPoll()
    {
        using var app = new NoticesApp(settings: new() { ["Notices:PollInterval"] = "00:10:00" });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        _ = await app.Get<OutboxDispatcher>().RunOnceAsync(); // the worker is now idle, waiting out its ten-minute poll

        await app.AddAsync(("ticket:1:verified", NoticeRecipient.Channel("operations"), "Ticket 1 verified"));

        var calls = await app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"), TimeSpan.FromSeconds(30));
        Assert.Equal("Ticket 1 verified", calls.Single(c => c.Op == "send").Activity.Text);
    }

    [Fact]
    public async Task NoticeToAUser_GoesToTheirPersonalConversation()
    {
        await _app.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob-personal");
        await _app.SayAsync("/help", userId: "u-bob", conversationId: "conv-group", isGroup: true);

        await _app.AddAsync(("ticket:42:accept-reminder", NoticeRecipient.User("u-bob"), "Please accept ticket 42"));

        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"));
        var send = calls.Single(c => c.Op == "send");
        Assert.Equal("conv-bob-personal", send.ConversationId);
        Assert.Equal("u-bob", send.Activity.Recipient!.Id);
        Assert.Equal("bot", send.Activity.From!.Id);
    }

    [Fact]
    public async Task NoticeToATeamsUserSeenOnlyInAChannel_CreatesTheirPersonalConversationOnce()
    {
        void Teams(Activity a)
        {
            a.ChannelId = "msteams";
            a.Conversation!.ConversationType = "channel";
            a.Conversation.TenantId = "tenant-1";
        }
        await _app.SayAsync("/help", userId: "29:carol", conversationId: "19:ops@thread.tacv2", isGroup: true, shape: Teams);

        await _app.AddAsync(("n1", NoticeRecipient.User("29:carol"), "first"), ("n2", NoticeRecipient.User("29:carol"), "second"));

        var calls = await _app.Connector.WaitForAsync(c => c.Count(x => x.Op == "send") == 2);
        var create = Assert.Single(calls, c => c.Op == "create-personal").Create!;
        Assert.False(create.IsGroup);
        Assert.Equal("29:carol", Assert.Single(create.Members!).Id);
        Assert.Equal("tenant-1", create.TenantId);
        Assert.All(calls.Where(c => c.Op == "send"), s => Assert.StartsWith("created-", s.ConversationId));
    }

    [Fact]
    public async Task NoticeToSomeoneWhoNeverWrote_IsParkedWithTheReason_AndSentOnceTheyWrite()
    {
        await _app.AddAsync(("ticket:7:done", NoticeRecipient.User("u-nobody"), "Ticket 7 done"));

        var notice = await WaitForStateAsync(_app, "ticket:7:done", NoticeState.Parked);
        var outbox = await _app.SayAsync("/outbox");

        Assert.Equal("no conversation known for user u-nobody — they must write to the bot once", notice.LastError);
        Assert.Contains($"#{notice.Id} `ticket:7:done` to user u-nobody: **parked** — no conversation known for user u-nobody", outbox);
        Assert.Empty(_app.Connector.Notices);

        await _app.SayAsync("hello", userId: "u-nobody", conversationId: "conv-nobody");
        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"));
        Assert.Equal(("conv-nobody", "Ticket 7 done"), calls.Where(c => c.Op == "send").Select(c => (c.ConversationId, c.Activity.Text)).Single());
    }

    [Fact]
    public async Task NoticeToAnUnboundChannel_IsParked_AndBindingTheChannelSendsIt()
    {
        await _app.AddAsync(("release:1:ready", NoticeRecipient.Channel("early-adopters", "arc"), "ARC 7 is ready"));
        var parked = await WaitForStateAsync(_app, "release:1:ready", NoticeState.Parked);
        Assert.Contains("`/channel bind early-adopters stack=arc`", parked.LastError);

        var reply = await _app.SayAsync("/channel bind early-adopters stack=arc", conversationId: "conv-arc", isGroup: true);

        Assert.Contains("1 parked notice(s) for it are on their way.", reply);
        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"));
        Assert.Equal("conv-arc", calls.Single(c => c.Op == "send").ConversationId);
        await WaitForStateAsync(_app, "release:1:ready", NoticeState.Sent);
        Assert.Contains($"Notice #{parked.Id} is sent, not parked", await _app.SayAsync($"/outbox retry {parked.Id}"));
        Assert.Contains("There is no notice #999", await _app.SayAsync("/outbox retry 999"));
        Assert.Contains("Name the notice by its number", await _app.SayAsync("/outbox retry soon"));
    }

    [Fact]
    public async Task ChannelThatBlockedTheBot_ParksTheNoticeAtOnceWithTheChannelsAnswer()
    {
        await _app.SayAsync("/help", userId: "u-dave", conversationId: "conv-dave");
        _app.Connector.Fail = (op, a) => a.Conversation?.Id == "conv-dave" && op == "send" ? 403 : null;

        await _app.AddAsync(("n-blocked", NoticeRecipient.User("u-dave"), "hello"));

        var notice = await WaitForStateAsync(_app, "n-blocked", NoticeState.Parked);
        Assert.Single(_app.Connector.Refused);
        Assert.StartsWith("the channel refused it: 403 MessageWritesBlocked", notice.LastError);
    }

    internal static async Task<Notice> WaitForStateAsync(NoticesApp app, string key, NoticeState state)
    {
        await app.UntilAsync(async () => (await app.NoticeAsync(key)).State == state, $"notice {key} to become {state}");
        return await app.NoticeAsync(key);
    }
}
