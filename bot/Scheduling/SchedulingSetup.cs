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
        services.AddSingleton<BulletinPoster>();
        services.AddSingleton<ReminderRules>();
        services.AddSingleton<ReminderRunner>();
        services.AddCommand(sp => HolidayCommands.Holiday(sp.Get<WorkingCalendars>()));
        services.AddCommand(sp => CalendarCommand.Definition(sp.Get<WorkingCalendars>(), sp.Get<Coordination.MeetingCatalog>()));

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

            // Meetings are data that change at run time: one sweep, as often as the reminders', decides every meeting's bulletin.
            q.AddJob<BulletinJob>(j => j.WithIdentity("bulletins").StoreDurably().DisallowConcurrentExecution());
            q.AddTrigger(t => t.WithIdentity("bulletins-sweep").ForJob("bulletins").StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(TimeSpan.FromSeconds(options.ReminderSweepSeconds)).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    /// <summary>
    /// Builds the Quartz scheduler (its job store, the cluster check, the jobs and triggers from configuration) on another
    /// thread while start-up seeds the database, instead of inside the host's start after it: a tenth of a second of a
    /// one-second start. The hosted service then finds the scheduler made (the factory keeps one per name) and starts
    /// it as before, jobs only once the application has started. Call after the migrations (on PostgreSQL they create
    /// Quartz's tables) and await before the host starts.
    /// </summary>
    public static Task PrepareSchedulerAsync(this WebApplication app)
    {
        var factory = app.Services.GetService<ISchedulerFactory>();
        return factory is null ? Task.CompletedTask : Task.Run(async () => await factory.GetScheduler());
    }

    public static string QuartzSqliteConnectionString(DataFolderOptions data) => data.SqliteConnectionString("quartz.db");
}
