using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tests.Notices;

/// <summary>
/// Two dispatchers (two bot instances) on one database never send the same notice. On SQLite the two live in one
/// process and race through the same claim statements the PostgreSQL instances use; see also the PostgreSQL variant.
/// </summary>
public sealed class TwoDispatcherTests
{
    [Fact]
    public async Task TwoDispatchersOnOneSqliteDatabase_NeverSendTheSameNotice()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock, settings: new() { ["Notices:BatchSize"] = "2" }, worker: false);
        await TwoDispatchersNeverSendTheSameNoticeAsync(app, clock);
    }

    [Fact]
    public async Task ADispatcherWhoseLeaseLapsedMidRound_LeavesTheRestToTheInstanceThatTookThemOver()
    {
        var clock = new ManualClock();
        // A ten-minute poll keeps the app's own dispatcher out of the way once it has gone idle.
        using var app = new NoticesApp(clock: clock, settings: new() { ["Notices:PollInterval"] = "00:10:00" });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await app.Get<OutboxDispatcher>().RunOnceAsync();
        var slow = new FlakyConnector(clock);
        var other = new FlakyConnector(clock);
        var takingOver = Dispatcher(app, other, clock);
        slow.Fail = (_, _) =>
        {
            // The first send hangs past the lease; meanwhile another instance runs a round.
            if (slow.Calls.Count + slow.Refused.Count == 0)
            {
                clock.Advance(TimeSpan.FromMinutes(3));
                Task.Run(() => takingOver.RunOnceAsync()).GetAwaiter().GetResult();
            }
            return null;
        };
        await using (var db = await app.DbAsync())
        {
            foreach (var key in new[] { "n1", "n2", "n3" })
            {
                db.Notices.Add(new Notice
                {
                    DedupeKey = key, Recipient = NoticeRecipient.Channel("operations").ToString(), PayloadJson = """{"type":"message","text":"%"}""".Replace("%", key),
                    NextAttemptAt = clock.GetUtcNow(), CreatedAt = clock.GetUtcNow(),
                });
            }
            await db.SaveChangesAsync();
        }

        await Dispatcher(app, slow, clock).RunOnceAsync();

        Assert.Equal(["n1"], slow.Notices.Select(n => n.Activity.Text));
        Assert.Equal(["n1", "n2", "n3"], other.Notices.Select(n => n.Activity.Text).Order());
    }

    internal static async Task TwoDispatchersNeverSendTheSameNoticeAsync(NoticesApp app, ManualClock clock)
    {
        var purposes = new[] { "operations", "broadcast", "security" };
        foreach (var purpose in purposes) await app.SayAsync($"/channel bind {purpose}", conversationId: "conv-" + purpose, isGroup: true);
        var first = new FlakyConnector(clock);
        var second = new FlakyConnector(clock);
        var dispatchers = new[] { Dispatcher(app, first, clock), Dispatcher(app, second, clock) };
        var texts = Enumerable.Range(0, 60).Select(i => $"notice {i}").ToList();

        await app.AddAsync(texts.Select((t, i) => ($"n{i}", NoticeRecipient.Channel(purposes[i % 3]), t)).ToArray());
        var all = () => first.Notices.Concat(second.Notices).Concat(app.Connector.Notices).ToList();
        // A small batch: a notice waits while an earlier one to its recipient is held by either instance (the order rule), so
        // with three recipients a large batch would let whichever instance claims first hold them all, round after round.
        // Callers start the app without its own worker (a third instance that could take every notice and leave these two
        // with nothing, which made this test flaky under load). Rounds cover more than a claim lease of the manual
        // clock, so a claim left by a failed round lapses and is sent by another instance, as designed.
        for (var round = 0; round < 300 && all().Count < texts.Count; round++)
        {
            var runs = await Task.WhenAll(dispatchers.Select(d => Task.Run(() => d.RunOnceAsync())));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(texts.Order(), all().Select(n => n.Activity.Text!).Order());
        Assert.NotEmpty(first.Notices);
        Assert.NotEmpty(second.Notices);
        await using var db = await app.DbAsync();
        Assert.Equal(texts.Count, await db.Notices.CountAsync(n => n.State == NoticeState.Sent));
    }

    internal static OutboxDispatcher Dispatcher(NoticesApp app, FlakyConnector connector, TimeProvider clock) => new(
        app.Get<IDbContextFactory<RolloutDb>>(), new ProactiveDelivery(connector), clock, app.Get<IOptions<NoticesOptions>>(),
        NullLogger<OutboxDispatcher>.Instance, app.Get<Rollout.Bot.Operations.BotMeters>());
}
