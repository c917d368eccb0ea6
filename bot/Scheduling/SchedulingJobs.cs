using Quartz;

namespace Rollout.Bot.Scheduling;

/// <summary>Quartz adapter: sweeps the reminders table. All the logic is in <see cref="ReminderRunner"/>.</summary>
public sealed class ReminderJob(ReminderRunner runner, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runner.RunDueAsync(clock.GetUtcNow(), cancellationToken);
}

/// <summary>Quartz adapter: the bulletin trigger of one meeting fired. Whether to post or skip is <see cref="BulletinRule"/>'s call.</summary>
public sealed class BulletinJob(BulletinPoster poster, MeetingCatalog meetings, TimeProvider clock, ILogger<BulletinJob> logger) : IJob
{
    public const string MeetingKey = "meeting";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var meeting = context.MergedJobDataMap.GetString(MeetingKey);
        if (meeting is null || meetings.Find(meeting) is null)
        {
            // The persistent store keeps triggers of meetings since removed from configuration; retire them.
            logger.LogWarning("Removing bulletin trigger {Trigger}: '{Meeting}' is no longer in Scheduling:Meetings", context.Trigger.Key, meeting);
            await context.Scheduler.UnscheduleJob(context.Trigger.Key, cancellationToken);
            return;
        }
        await poster.RunAsync(meeting, clock.GetUtcNow(), cancellationToken);
    }
}
