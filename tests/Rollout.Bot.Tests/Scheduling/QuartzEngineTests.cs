using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Scheduling;

/// <summary>The one test that boots Quartz: its persistent SQLite store starts and its reminder sweep fires a job.</summary>
public sealed class QuartzEngineTests
{
    [Fact]
    public async Task Quartz_OnThePersistentSqliteStore_FiresAReminderMissedWhileTheBotWasDown()
    {
        var fired = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rule = new ReminderRule("test.quartz", f =>
        {
            fired.TrySetResult(f.Reminder.Id);
            return Task.CompletedTask;
        });
        using var down = new BotApp { ExtraServices = s => s.AddReminderRule(rule) };
        Assert.Null(down.Services.GetService<ISchedulerFactory>()); // Scheduling:Enabled=false leaves Quartz out
        await down.Services.GetRequiredService<ReminderRunner>()
            .ScheduleAsync("ticket-7", null, "test.quartz", DateTimeOffset.UtcNow.AddMinutes(-30));

        using var up = new BotApp(new() { ["Scheduling:Enabled"] = "true" }, down.DataFolder) { ExtraServices = s => s.AddReminderRule(rule) };
        _ = up.Services; // boots the host, and with it Quartz's hosted service

        var id = await fired.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The handler runs inside the claiming transaction: wait (bounded) for its commit, not for time to pass.
        var dbs = up.Services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        ReminderState state;
        while (true)
        {
            await using var db = await dbs.CreateDbContextAsync();
            state = (await db.Reminders.AsNoTracking().SingleAsync(r => r.Id == id)).State;
            if (state != ReminderState.Pending || DateTime.UtcNow > deadline) break;
            await Task.Delay(20);
        }
        Assert.Equal(ReminderState.Fired, state);

        var scheduler = await up.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var metadata = await scheduler.GetMetadata();
        Assert.NotNull(metadata.RunningSince);
        Assert.True(metadata.JobStorePersistent);
        Assert.NotNull(await scheduler.GetTrigger(new TriggerKey("bulletins-sweep")));
        await using var quartz = new SqliteConnection($"Data Source={Path.Combine(up.DataFolder, "quartz.db")}");
        await quartz.OpenAsync();
        await using var count = quartz.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM QRTZ_TRIGGERS";
        Assert.True(Convert.ToInt64(await count.ExecuteScalarAsync()) >= 2); // the reminder sweep and the bulletin sweep
    }
}
