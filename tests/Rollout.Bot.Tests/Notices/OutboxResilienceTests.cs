using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;

namespace Rollout.Bot.Tests.Notices;

public sealed class OutboxResilienceTests
{
    [Fact]
    public async Task NoticesCommittedBeforeTheProcessStopped_AreDeliveredOnceByTheNextProcess()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        var texts = Enumerable.Range(1, 10).Select(i => $"notice {i}").ToList();
        using (var first = new NoticesApp(dataFolder: folder, keepData: true))
        {
            await first.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
            await first.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob");
            first.Connector.Hang = true; // the channel never answers: the process is stopped in the middle of sending
            await first.AddAsync(texts.Select((t, i) => ($"n{i}", i % 2 == 0 ? NoticeRecipient.Channel("operations") : NoticeRecipient.User("u-bob"), t)).ToArray());
            await first.Connector.WaitUntilAsync(() => first.Connector.Hanging > 0);
            Assert.Empty(first.Connector.Notices);
        }

        using var second = new NoticesApp(dataFolder: folder);
        _ = second.Get<OutboxDispatcher>(); // starts the host, and with it the dispatcher
        await second.Connector.WaitForAsync(c => c.Count(x => x.Op == "send") == texts.Count);
        // The worker's lanes record the last sends on their own threads: wait for the records, not just the calls.
        await second.UntilAsync(async () =>
        {
            await using var check = await second.DbAsync();
            return await check.Notices.AllAsync(n => n.State == NoticeState.Sent);
        }, "every notice recorded as sent");

        Assert.Equal(texts.Order(), second.Connector.Notices.Select(n => n.Activity.Text!).Order());
        await using var db = await second.DbAsync();
        Assert.All(await db.Notices.ToListAsync(), n => Assert.Equal(NoticeState.Sent, n.State));
    }

    /// <summary>
    /// These tests jump the clock by minutes between rounds while the background dispatcher may be mid-round: a lease
    /// longer than all the jumps keeps such a round's claims valid, as a real round is short against its lease.
    /// </summary>
    private const string LongLease = "1.00:00:00";

    [Fact]
    public async Task AChannelAnswering429ToSomeSends_StillGetsEveryNoticeExactlyOnce()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock, settings: new() { ["Notices:MaxAttempts"] = "50", ["Notices:ClaimLease"] = LongLease });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await app.SayAsync("/channel bind early-adopters stack=glite", conversationId: "conv-glite", isGroup: true);
        await app.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob");
        var calls = 0;
        app.Connector.Fail = (op, _) => op == "send" && Interlocked.Increment(ref calls) % 3 != 1 ? (calls % 5 == 0 ? 503 : 429) : null;
        var recipients = new[] { NoticeRecipient.Channel("operations"), NoticeRecipient.Channel("early-adopters", "glite"), NoticeRecipient.User("u-bob") };

        await app.AddAsync(Enumerable.Range(0, 30).Select(i => ($"n{i}", recipients[i % 3], $"notice {i}")).ToArray());
        await DriveUntilAsync(app, clock, TimeSpan.FromMinutes(15), () => Task.FromResult(app.Connector.Notices.Count == 30));

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"notice {i}").Order(), app.Connector.Notices.Select(n => n.Activity.Text!).Order());
        Assert.True(app.Connector.Refused.Count >= 30, $"only {app.Connector.Refused.Count} sends were refused");
    }

    [Fact]
    public async Task RepeatedFailures_ParkTheNoticeAfterMaxAttempts_OutboxShowsWhy_AndRetryDeliversIt()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock, settings: new() { ["Notices:MaxAttempts"] = "3", ["Notices:ClaimLease"] = LongLease });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        app.Connector.Fail = (op, a) => op == "send" && a.Conversation?.Id == "conv-ops" ? 503 : null;

        await app.AddAsync(("ticket:5:verified", NoticeRecipient.Channel("operations"), "Ticket 5 verified"));
        await DriveUntilAsync(app, clock, TimeSpan.FromMinutes(15),
            async () => (await app.NoticeAsync("ticket:5:verified")).State == NoticeState.Parked);
        var notice = await app.NoticeAsync("ticket:5:verified");
        var outbox = await app.SayAsync("/outbox");

        Assert.Equal(3, app.Connector.Refused.Count);
        Assert.Equal("gave up after 3 failed attempts; last: 503 Throttled: fake channel answered 503", notice.LastError);
        Assert.Contains($"#{notice.Id} `ticket:5:verified` to operations channel: **parked** — gave up after 3 failed attempts", outbox);

        app.Connector.Fail = null;
        await app.SayAsync($"/outbox retry {notice.Id}");
        await DriveUntilAsync(app, clock, TimeSpan.Zero, async () => (await app.NoticeAsync("ticket:5:verified")).State == NoticeState.Sent);
        Assert.Equal("Ticket 5 verified", Assert.Single(app.Connector.Notices).Activity.Text);
        Assert.Contains("The outbox is empty", await app.SayAsync("/outbox"));
    }

    [Fact]
    public async Task ARunOf429sLongerThanMaxAttempts_IsWaitedOut_NotParked_AndTheConversationKeepsItsOrder()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock, settings: new()
        {
            ["Notices:MaxAttempts"] = "3", ["Notices:MaxThrottledAttempts"] = "20", ["Notices:ClaimLease"] = LongLease,
        });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        // The channel throttles its first ten sends in a row, as a busy channel does: all of them meet the first notice.
        var calls = 0;
        app.Connector.Fail = (op, _) => op == "send" && Interlocked.Increment(ref calls) <= 10 ? 429 : null;

        await app.AddAsync(("n0", NoticeRecipient.Channel("operations"), "first"), ("n1", NoticeRecipient.Channel("operations"), "second"));
        await DriveUntilAsync(app, clock, TimeSpan.FromSeconds(30), () => Task.FromResult(app.Connector.Notices.Count == 2));

        Assert.Equal(["first", "second"], app.Connector.Notices.Select(n => n.Activity.Text!));
        Assert.Equal(10, app.Connector.Refused.Count);
        Assert.Equal(NoticeState.Sent, (await app.NoticeAsync("n0")).State);
    }

    [Fact]
    public async Task SendsToOneConversation_NeverExceedSevenInAnySimulatedSecond()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock);
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await app.SayAsync("/channel bind broadcast", conversationId: "conv-all", isGroup: true);

        await app.AddAsync(Enumerable.Range(0, 30)
            .Select(i => ($"n{i}", NoticeRecipient.Channel(i < 20 ? "operations" : "broadcast"), $"notice {i}")).ToArray());
        await DriveUntilAsync(app, clock, TimeSpan.FromMilliseconds(250), () => Task.FromResult(app.Connector.Notices.Count == 30));

        var notices = app.Connector.Notices;
        Assert.Equal(30, notices.Select(n => n.Activity.Text).Distinct().Count());
        foreach (var conversation in notices.GroupBy(n => n.ConversationId))
        {
            var times = conversation.Select(n => n.At).Order().ToList();
            Assert.All(times, t => Assert.InRange(times.Count(x => x >= t && x < t + TimeSpan.FromSeconds(1)), 1, 7));
        }
        var ops = notices.Where(n => n.ConversationId == "conv-ops").Select(n => n.At).ToList();
        Assert.True(ops.Max() - ops.Min() >= TimeSpan.FromSeconds(2), "20 sends at 7 a second need at least three seconds' windows");
    }

    /// <summary>Runs dispatcher rounds, moving the manual clock on after each, until the condition holds (bounded).</summary>
    internal static async Task DriveUntilAsync(NoticesApp app, ManualClock clock, TimeSpan step, Func<Task<bool>> done, int rounds = 200)
    {
        var dispatcher = app.Get<OutboxDispatcher>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        for (var round = 0; round < rounds && !await done(); round++)
        {
            await dispatcher.RunOnceAsync();
            // The background worker's lanes may hold notices this round could not claim: their outcome is being written
            // on another thread, so wait for it (bounded) instead of moving time on under it, which let a retried notice
            // fall due while its lane was still handing back the ones behind it.
            while (dispatcher.Held > 0 && DateTime.UtcNow < deadline) await Task.Delay(5);
            clock.Advance(step);
        }
        Assert.True(await done(), $"not done after {rounds} dispatcher rounds");
    }
}
