using Microsoft.Extensions.Options;
using Quartz;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

public static class SchedulingSetup
{
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulingOptions>, SchedulingOptionsValidator>();
        services.AddSingleton<WorkingCalendars>();
        services.AddSingleton<MeetingCatalog>();
        services.AddSingleton<BulletinPoster>();
        services.AddSingleton<ReminderRules>();
        services.AddSingleton<ReminderRunner>();
        services.AddCommand(sp => HolidayCommands.Holiday(sp.Get<WorkingCalendars>()));
        services.AddCommand(sp => CalendarCommand.Definition(sp.Get<WorkingCalendars>(), sp.Get<MeetingCatalog>()));
        services.AddCommand(sp => MeetingCommands.Meetings(sp.Get<MeetingCatalog>()));
        services.AddCommand(sp => MeetingCommands.Bulletin(sp.Get<MeetingCatalog>(), sp.Get<BulletinPoster>()));

        var options = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        if (options.Enabled) services.AddQuartzEngine(configuration, options);
        return services;
    }

    /// <summary>
    /// Quartz with a persistent store. SQLite: its own file (quartz.db) next to rollout.db, so that Quartz's frequent
    /// trigger bookkeeping never holds the bot database's single write lock and its self-created schema stays out of
    /// our numbered migrations; the schedule is rebuilt from configuration at every start, so that file holds nothing
    /// that cannot be recreated. PostgreSQL: the bot's own database, clustered, so that several instances fire each
    /// trigger once. Quartz's clock is the container's TimeProvider.
    /// </summary>
    private static void AddQuartzEngine(this IServiceCollection services, IConfiguration configuration, SchedulingOptions options)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var data = new DataFolderOptions { DataFolder = configuration["DataFolder"] ?? "data" };
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (storage.Provider == StorageProvider.Postgres)
                {
                    store.UsePostgres(storage.ConnectionString!);
                    store.UseClustering(_ => { });
                }
                else
                {
                    store.UseSqlite(QuartzSqliteConnectionString(data));
                }
                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
            });

            q.AddJob<ReminderJob>(j => j.WithIdentity("reminders").StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger(t => t.WithIdentity("reminders-sweep").ForJob("reminders").StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(TimeSpan.FromSeconds(options.ReminderSweepSeconds)).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));

            q.AddJob<BulletinJob>(j => j.WithIdentity("bulletin").StoreDurably().DisallowConcurrentExecution());
            for (var i = 0; i < options.Meetings.Count; i++)
            {
                var index = i;
                q.AddTrigger((sp, t) => BulletinTrigger(t, sp.GetRequiredService<MeetingCatalog>().All[index], sp.GetRequiredService<TimeProvider>()));
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    /// <summary>
    /// Fires at the bulletin time of every occurrence, in the meeting's zone at the same local hour across DST. The
    /// trigger is declared again at every start and begins at the latest bulletin already due, if any: Quartz then
    /// fires it once at start (misfire: fire once and proceed, never a burst) and <see cref="BulletinRule"/> posts it
    /// if its meeting has not begun, or skips and logs it. A bulletin already posted is not posted again.
    /// </summary>
    private static void BulletinTrigger(ITriggerConfigurator<IJob> trigger, Meeting meeting, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var first = BulletinRule.Decide(meeting, now).Occurrence ?? meeting.OccurrencesAfter(now).First();
        trigger.WithIdentity($"bulletin-{meeting.Name}").ForJob("bulletin")
            .UsingJobData(BulletinJob.MeetingKey, meeting.Name)
            .StartAt(first.BulletinAt)
            .WithSchedule(CalendarIntervalScheduleBuilder.Create()
                .WithInterval(meeting.EveryWeeks, IntervalUnit.Week)
                .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(meeting.Zone.Id))
                .PreserveHourOfDayAcrossDaylightSavings(true)
                .WithMisfireInstruction(CalendarIntervalTriggerMisfireInstruction.FireAndProceed));
    }

    public static string QuartzSqliteConnectionString(DataFolderOptions data) => data.SqliteConnectionString("quartz.db");
}
