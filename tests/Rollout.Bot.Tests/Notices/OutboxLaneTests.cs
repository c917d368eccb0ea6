using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tests.Notices;

/// <summary>
/// Each conversation has its own lane: a channel that hangs in one conversation delays nobody else, a slow send keeps
/// its claim (no second instance sends it again), and retries keep a conversation's order and its rate limit.
/// </summary>
public sealed class OutboxLaneTests
{
    [Fact]
    public async Task AConversationWhoseChannelHangs_DoesNotDelayANoticeToAnotherConversation()
    {
        var (made, connector, slow, hung) = await OperationsHungBroadcastFreeAsync();
        using var app = made;

        await app.AddAsync(("stuck", NoticeRecipient.Channel("operations"), "to the hung conversation"));
        await connector.WaitUntilAsync(() => hung.Started == 1);
        await app.AddAsync(("unrelated", NoticeRecipient.Channel("broadcast"), "to everyone"));

        var calls = await connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == "conv-all"));
        Assert.DoesNotContain(calls, c => c.ConversationId == "conv-ops" && c.Op == "send");
        Assert.Equal(NoticeState.Pending, (await app.NoticeAsync("stuck")).State);
        await app.UntilAsync(async () => (await app.NoticeAsync("unrelated")).State == NoticeState.Sent, "the unrelated notice recorded as sent");

        slow.SetResult();
        await app.UntilAsync(async () => (await app.NoticeAsync("stuck")).State == NoticeState.Sent, "the slow notice recorded as sent");
        Assert.Single(connector.Notices, n => n.ConversationId == "conv-ops");
    }

    [Fact]
    public async Task ASendSlowerThanTheClaimLease_KeepsItsClaim_AndNoOtherInstanceSendsItAgain()
    {
        var clock = new ManualClock();
        var slow = new TaskCompletionSource();
        var connector = new FlakyConnector(clock);
        using var app = new NoticesApp(connector, clock, settings: new()
        {
            ["Notices:PollInterval"] = "00:10:00", ["Notices:ClaimLease"] = "00:00:03", ["Notices:SendTimeout"] = "00:01:00",
        });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        var hung = Hang(connector, "conv-ops", slow.Task);
        await app.AddAsync(("slow", NoticeRecipient.Channel("operations"), "a slow one"));
        await connector.WaitUntilAsync(() => hung.Started == 1);

        var other = new FlakyConnector(clock);
        var otherInstance = Dispatcher(app, other, clock);
        for (var i = 0; i < 5; i++)
        {
            // Time passes beyond the lease; the sending instance renews (what its worker does every third of a lease).
            clock.Advance(TimeSpan.FromSeconds(2));
            await app.Get<OutboxDispatcher>().RenewClaimsAsync(CancellationToken.None);
            await otherInstance.RunOnceAsync();
        }
        slow.SetResult();
        await app.UntilAsync(async () => (await app.NoticeAsync("slow")).State == NoticeState.Sent, "the slow notice recorded as sent");

        Assert.Empty(other.Notices);
        Assert.Single(connector.Notices);
    }

    [Fact]
    public async Task AtStartUpOnSqlite_ClaimsLeftByAnEarlierRunAreHandedBack_ButThoseThisRunAlreadyQueuedAreKept()
    {
        // The worker hands back an earlier run's claims as it starts, while rounds of this run may already be sending:
        // handing back those too would let the next round queue the same notice a second time in its lane.
        var (made, connector, slow, hung) = await OperationsHungBroadcastFreeAsync();
        using var app = made;
        await app.AddAsync(("held", NoticeRecipient.Channel("operations"), "being sent by this run"));
        await connector.WaitUntilAsync(() => hung.Started == 1);
        await using (var db = await app.DbAsync())
        {
            await app.Get<Outbox>().AddAsync(db, "orphan", NoticeRecipient.Channel("broadcast"), "claimed by a run that died");
            var orphan = db.ChangeTracker.Entries<Notice>().Single(e => e.Entity.DedupeKey == "orphan").Entity;
            orphan.ClaimedBy = "old-host/0123456789ab/deadbeef";
            orphan.ClaimExpiresAt = app.Get<TimeProvider>().GetUtcNow().AddDays(1);
            await db.SaveChangesAsync();
        }
        var dispatcher = app.Get<OutboxDispatcher>();

        await dispatcher.ReleaseClaimsLeftByEarlierRunAsync(CancellationToken.None);

        Assert.StartsWith(dispatcher.InstanceId + "/", (await app.NoticeAsync("held")).ClaimedBy);
        // Its claim had a day to run: it goes out now only because it was handed back (and may be claimed again at once).
        await app.UntilAsync(async () => (await app.NoticeAsync("orphan")).State == NoticeState.Sent, "the handed-back notice sent");
        slow.SetResult();
        await app.UntilAsync(async () => (await app.NoticeAsync("held")).State == NoticeState.Sent, "the held notice recorded as sent");
        Assert.Single(connector.Notices, n => n.ConversationId == "conv-ops");
        Assert.Single(connector.Notices, n => n.ConversationId == "conv-all");
    }

    [Fact]
    public async Task ASendTheChannelNeverAnswers_TimesOut_AndIsParkedNotSentAgain()
    {
        var connector = new FlakyConnector();
        using var app = new NoticesApp(connector, settings: new() { ["Notices:SendTimeout"] = "00:00:00.200" });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        var attempts = 0;
        connector.Before = async (conversation, ct) =>
        {
            if (conversation != "conv-ops") return;
            Interlocked.Increment(ref attempts);
            await Task.Delay(Timeout.Infinite, ct);
        };

        await app.AddAsync(("never", NoticeRecipient.Channel("operations"), "into the void"));
        await app.UntilAsync(async () => (await app.NoticeAsync("never")).State == NoticeState.Parked, "the notice parked");
        await app.Get<OutboxDispatcher>().RunOnceAsync();

        var notice = await app.NoticeAsync("never");
        Assert.Equal(1, Volatile.Read(ref attempts));
        Assert.Contains("did not answer within 0.2 s", notice.LastError);
        Assert.Contains($"/outbox retry {notice.Id}", notice.LastError);
    }

    [Fact]
    public async Task UnderRepeated429s_OneConversationKeepsItsOrder_AndEveryAttemptCountsAgainstItsRateLimit()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock, settings: new()
        {
            ["Notices:MaxAttempts"] = "50", ["Notices:ClaimLease"] = "1.00:00:00", ["Notices:BaseBackoff"] = "00:00:01",
        });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        var calls = 0;
        app.Connector.Fail = (op, _) => op == "send" && Interlocked.Increment(ref calls) % 3 == 0 ? 429 : null;

        var texts = Enumerable.Range(0, 40).Select(i => $"notice {i:00}").ToList();
        await app.AddAsync(texts.Select((t, i) => ($"n{i}", NoticeRecipient.Channel("operations"), t)).ToArray());
        await OutboxResilienceTests.DriveUntilAsync(app, clock, TimeSpan.FromMilliseconds(250),
            () => Task.FromResult(app.Connector.Notices.Count == texts.Count), rounds: 2000);

        Assert.Equal(texts, app.Connector.Notices.Select(n => n.Activity.Text!));
        Assert.NotEmpty(app.Connector.Refused);
        var attempts = app.Connector.Notices.Concat(app.Connector.Refused).Where(c => c.Op == "send").Select(c => c.At).Order().ToList();
        Assert.All(attempts, t => Assert.InRange(attempts.Count(x => x >= t && x < t + TimeSpan.FromSeconds(1)), 1, 7));
    }

    [Fact]
    public async Task ABurstToOneConversation_GoesOutAtItsRateAndInOrder_EachSecondWhenItsTimeComes_WithoutAPoll()
    {
        // Timers run on the test's clock and the poll is ten minutes away: each second's sends can only be started by
        // the dispatcher knowing when the conversation's limit frees up (the lane that ran out of rate asks for a round
        // for that conversation alone at that instant), not by a poll or a full round per commit.
        var clock = new Rollout.Bot.Tests.Infrastructure.ManualTimeProvider();
        using var app = new NoticesApp(clock: clock, settings: new()
        {
            ["Notices:PollInterval"] = "00:10:00", ["Notices:SendsPerSecondPerConversation"] = "2", ["Notices:ClaimLease"] = "1.00:00:00",
            ["Notices:RateWindowMargin"] = "00:00:00",
        });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        var texts = Enumerable.Range(0, 7).Select(i => $"burst {i}").ToList();

        await app.AddAsync(texts.Take(3).Select((t, i) => ($"b{i}", NoticeRecipient.Channel("operations"), t)).ToArray());
        await app.Connector.WaitUntilAsync(() => app.Connector.Notices.Count == 2);
        // Queued while the conversation waits for its limit: nothing more goes before the second is up.
        await app.AddAsync(texts.Skip(3).Select((t, i) => ($"b{i + 3}", NoticeRecipient.Channel("operations"), t)).ToArray());
        await app.UntilAsync(async () => (await app.NoticeAsync("b2")).ClaimedBy is null, "the third notice handed back until the limit frees");
        Assert.Equal(2, app.Connector.Notices.Count);

        for (var second = 1; second <= 3; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            var expected = Math.Min(texts.Count, 2 * (second + 1));
            await app.Connector.WaitUntilAsync(() => app.Connector.Notices.Count >= expected);
            Assert.Equal(expected, app.Connector.Notices.Count);
        }

        Assert.Equal(texts, app.Connector.Notices.Select(n => n.Activity.Text!));
        await app.UntilAsync(async () => (await app.NoticeAsync("b6")).State == NoticeState.Sent, "the last one recorded as sent");
    }

    /// <summary>The operations channel in conv-ops, whose sends wait until the returned source is set; broadcast in conv-all.</summary>
    private static async Task<(NoticesApp, FlakyConnector, TaskCompletionSource, HungConversation)> OperationsHungBroadcastFreeAsync()
    {
        var release = new TaskCompletionSource();
        var connector = new FlakyConnector();
        var app = new NoticesApp(connector, settings: new() { ["Notices:PollInterval"] = "00:10:00" });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await app.SayAsync("/channel bind broadcast", conversationId: "conv-all", isGroup: true);
        return (app, connector, release, Hang(connector, "conv-ops", release.Task));
    }

    /// <summary>Every send to <paramref name="conversation"/> waits for <paramref name="until"/>; counts the sends begun.</summary>
    private static HungConversation Hang(FlakyConnector connector, string conversation, Task until)
    {
        var hung = new HungConversation();
        connector.Before = async (to, ct) =>
        {
            if (to != conversation) return;
            Interlocked.Increment(ref hung.StartedCount);
            await until.WaitAsync(ct);
        };
        return hung;
    }

    private sealed class HungConversation
    {
        public int StartedCount;
        public int Started => Volatile.Read(ref StartedCount);
    }

    private static OutboxDispatcher Dispatcher(NoticesApp app, FlakyConnector connector, TimeProvider clock) => new(
        app.Get<IDbContextFactory<RolloutDb>>(), new ProactiveDelivery(connector), clock, app.Get<IOptions<NoticesOptions>>(),
        NullLogger<OutboxDispatcher>.Instance, app.Get<Rollout.Bot.Operations.BotMeters>());
}
