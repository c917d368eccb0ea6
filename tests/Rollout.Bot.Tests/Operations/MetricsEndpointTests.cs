using Rollout.Bot.Notices;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Notices;

namespace Rollout.Bot.Tests.Operations;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_WhenTheChannelIsDown_ShowTheOutboxLagRising()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock);
        await app.SayAsync("help", "u-bob", "conv-bob");
        app.Connector.Fail = (op, _) => op == "send" ? 503 : null;
        await app.AddAsync(("ops:lag", NoticeRecipient.User("u-bob"), "the channel is down"));
        await app.UntilAsync(async () => (await app.NoticeAsync("ops:lag")).Attempts > 0, "a first attempt failed");
        var client = app.Factory.CreateClient();

        clock.Advance(TimeSpan.FromMinutes(1));
        var first = await PrometheusText.ScrapeAsync(client);
        clock.Advance(TimeSpan.FromMinutes(10));
        var later = await PrometheusText.ScrapeAsync(client);

        var lag1 = PrometheusText.Value(first, "rollout_outbox_lag_seconds");
        var lag2 = PrometheusText.Value(later, "rollout_outbox_lag_seconds");
        Assert.NotNull(lag1);
        Assert.InRange(lag1!.Value, 60, 61);
        Assert.InRange(lag2!.Value, 660, 661);
        Assert.Equal(1, PrometheusText.Value(later, "rollout_outbox_pending"));
        Assert.True(PrometheusText.Value(later, "rollout_notices_total", "outcome=\"retried\"") >= 1);

        app.Connector.Fail = null; // the channel is back: the retry goes out and the lag falls to zero
        clock.Advance(TimeSpan.FromMinutes(15)); // past the backoff of the latest failed attempt, on the test's clock
        await app.UntilAsync(async () => (await app.NoticeAsync("ops:lag")).State == NoticeState.Sent, "the retry is sent");
        var after = await PrometheusText.ScrapeAsync(client);
        Assert.Equal(0, PrometheusText.Value(after, "rollout_outbox_lag_seconds"));
        Assert.True(PrometheusText.Value(after, "rollout_notices_total", "outcome=\"sent\"") >= 1);
    }

    [Fact]
    public async Task Metrics_CountTurnsAndReplies_AndTicketsByEveryState()
    {
        using var app = new BotApp(new() { ["Roles:Coordinators:0"] = "u-coord" });
        await app.SayAsync("help", "u-coord", "Cora", "conv-coord");
        await app.SayAsync("/release new component=CREAM version=1.2.3 type=revision", "u-coord", "Cora", "conv-coord");
        var text = await PrometheusText.ScrapeAsync(app.CreateClient());

        Assert.Equal(2, PrometheusText.Value(text, "rollout_turns_total", "type=\"message\""));
        Assert.True(PrometheusText.Value(text, "rollout_replies_total") >= 1);
        foreach (var state in new[] { "certified", "unverified", "verified", "rejected", "rolling-out", "closed" })
            Assert.NotNull(PrometheusText.Value(text, "rollout_tickets", $"state=\"{state}\""));
    }

    [Fact]
    public async Task Metrics_OfOneBot_DoNotCountTurnsOfAnotherInTheSameProcess()
    {
        using var busy = new BotApp();
        using var quiet = new BotApp();
        _ = quiet.Services;
        await busy.SayAsync("help");
        var text = await PrometheusText.ScrapeAsync(quiet.CreateClient());
        Assert.Null(PrometheusText.Value(text, "rollout_turns_total"));
    }

    [Fact]
    public async Task ChatMetricsCommand_StillAnswersInChat_BesideTheHttpPath()
    {
        using var app = new BotApp();
        var reply = await app.SayAsync("/metrics");
        Assert.DoesNotContain("# TYPE", reply);
        Assert.Contains("rollout_turns_total", await PrometheusText.ScrapeAsync(app.CreateClient()));
    }
}
