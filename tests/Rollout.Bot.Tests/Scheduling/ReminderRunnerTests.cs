using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Scheduling;

public sealed class ReminderRunnerTests : IDisposable
{
    private const string Rule = "test.nag";
    private static readonly DateTimeOffset Due = Zurich.At("2026-11-24 10:00");
    private readonly ConcurrentQueue<long> _fired = new();
    private readonly List<BotApp> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps) app.Dispose();
    }

    private BotApp App(string? dataFolder = null, Func<ReminderFiring, Task>? handler = null)
    {
        var app = new BotApp(dataFolder: dataFolder)
        {
            ExtraServices = s => s.AddReminderRule(new ReminderRule(Rule, handler ?? Record)),
        };
        _apps.Add(app);
        return app;
    }

    private Task Record(ReminderFiring firing)
    {
        _fired.Enqueue(firing.Reminder.Id);
        return Task.CompletedTask;
    }

    private static ReminderRunner Runner(BotApp app) => app.Services.GetRequiredService<ReminderRunner>();

    private static async Task<List<Reminder>> RemindersAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        return await db.Reminders.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task DueReminder_FiresOnceAtItsDueTime()
    {
        var runner = Runner(App());
        Assert.True(await runner.ScheduleAsync("ticket-12", 1, Rule, Due));

        Assert.Equal(0, await runner.RunDueAsync(Due.AddMinutes(-1)));
        Assert.Equal(1, await runner.RunDueAsync(Due));
        Assert.Equal(0, await runner.RunDueAsync(Due.AddHours(1)));

        Assert.Single(_fired);
        var reminder = Assert.Single(await RemindersAsync(_apps[0]));
        Assert.Equal(ReminderState.Fired, reminder.State);
        Assert.NotNull(reminder.FiredBy);
    }

    [Fact]
    public async Task SchedulingTheSameReminderTwice_KeepsOne()
    {
        var runner = Runner(App());

        Assert.True(await runner.ScheduleAsync("ticket-12", null, Rule, Due));
        Assert.False(await runner.ScheduleAsync("ticket-12", null, Rule, Due.ToOffset(TimeSpan.FromHours(1))));

        Assert.Single(await RemindersAsync(_apps[0]));
    }

    [Fact]
    public async Task UnknownRule_IsRefusedWhenScheduling()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner(App()).ScheduleAsync("ticket-12", null, "no.such.rule", Due));

        Assert.Contains("AddReminderRule", error.Message);
    }

    [Fact]
    public async Task Cancel_ForOneSite_StopsOnlyThatSitesReminder()
    {
        var runner = Runner(App());
        await runner.ScheduleAsync("ticket-12", 1, Rule, Due);
        await runner.ScheduleAsync("ticket-12", 2, Rule, Due);

        Assert.Equal(1, await runner.CancelAsync("ticket-12", Rule, siteId: 1));
        Assert.Equal(1, await runner.RunDueAsync(Due));

        var reminders = await RemindersAsync(_apps[0]);
        Assert.Equal([ReminderState.Cancelled, ReminderState.Fired], reminders.Select(r => r.State));
    }

    [Fact]
    public async Task Cancel_WithoutSite_StopsEverySite()
    {
        var runner = Runner(App());
        await runner.ScheduleAsync("ticket-12", 1, Rule, Due);
        await runner.ScheduleAsync("ticket-12", 2, Rule, Due);

        Assert.Equal(2, await runner.CancelAsync("ticket-12", Rule));
        Assert.Equal(0, await runner.RunDueAsync(Due));
        Assert.Empty(_fired);
    }

    [Fact]
    public async Task PendingReminder_AfterRestartOnTheSameDataFolder_FiresOnce()
    {
        var before = App();
        await Runner(before).ScheduleAsync("ticket-12", 1, Rule, Due);

        var after = App(before.DataFolder); // the bot comes back, after the due time, on the same database
        Assert.Equal(1, await Runner(after).RunDueAsync(Due.AddHours(3)));
        Assert.Equal(0, await Runner(before).RunDueAsync(Due.AddHours(3)));

        Assert.Single(_fired);
    }

    [Fact]
    public async Task TwoInstancesRacingOnOneDatabase_ClaimEachReminderOnce()
    {
        var one = App();
        var two = App(one.DataFolder);
        for (var i = 0; i < 25; i++) await Runner(one).ScheduleAsync($"ticket-{i}", null, Rule, Due.AddSeconds(i));

        var counts = await Task.WhenAll(
            Task.Run(() => Runner(one).RunDueAsync(Due.AddHours(1))),
            Task.Run(() => Runner(two).RunDueAsync(Due.AddHours(1))));

        Assert.Equal(25, counts.Sum());
        Assert.Equal(25, _fired.Distinct().Count());
        Assert.Equal(25, _fired.Count);
    }

    [Fact]
    public async Task HandlerWrites_CommitTogetherWithTheFiredMark()
    {
        var app = App(handler: f =>
        {
            f.Db.Holidays.Add(new Holiday { Date = new DateOnly(2026, 12, 31), Name = "witness", AddedBy = "test", AddedAt = f.Now });
            return Task.CompletedTask;
        });
        await Runner(app).ScheduleAsync("ticket-12", null, Rule, Due);

        await Runner(app).RunDueAsync(Due);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Holidays.CountAsync(h => h.Name == "witness"));
    }

    [Fact]
    public async Task FailingHandler_RollsBackItsWrites_RetriesThenMarksFailed()
    {
        var app = App(handler: f =>
        {
            f.Db.Holidays.Add(new Holiday { Date = new DateOnly(2026, 12, 31), Name = "witness", AddedBy = "test", AddedAt = f.Now });
            throw new InvalidOperationException("channel binding missing");
        });
        await Runner(app).ScheduleAsync("ticket-12", null, Rule, Due);

        for (var i = 0; i < ReminderRunner.MaxAttempts + 1; i++) Assert.Equal(0, await Runner(app).RunDueAsync(Due));

        var reminder = Assert.Single(await RemindersAsync(app));
        Assert.Equal(ReminderState.Failed, reminder.State);
        Assert.Equal(ReminderRunner.MaxAttempts, reminder.Attempts);
        Assert.Equal("channel binding missing", reminder.LastError);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Holidays.CountAsync());
    }

    [Fact]
    public void DuplicateRuleNames_FailAtStartUp()
    {
        var noop = new ReminderRule("ticket.accept-nag", _ => Task.CompletedTask);

        var error = Assert.Throws<InvalidOperationException>(() => new ReminderRules([noop, noop], [], new Microsoft.Extensions.DependencyInjection.ServiceCollection().BuildServiceProvider()).Names);

        Assert.Contains("ticket.accept-nag", error.Message);
    }
}
