using Quartz;

namespace Rollout.Bot.Scheduling;

/// <summary>Quartz adapter: sweeps the reminders table. All the logic is in <see cref="ReminderRunner"/>.</summary>
public sealed class ReminderJob(ReminderRunner runner, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runner.RunDueAsync(clock.GetUtcNow(), cancellationToken);
}

/// <summary>Quartz adapter: the bulletin trigger of one meeting fired. Whether to post or skip is <see cref="BulletinRule"/>'s call.</summary>
public sealed class BulletinJob(BulletinPoster poster, TimeProvider clock) : IJob
{
    public const string MeetingKey = "meeting";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var meeting = context.MergedJobDataMap.GetString(MeetingKey)
            ?? throw new InvalidOperationException($"The bulletin trigger {context.Trigger.Key} carries no '{MeetingKey}'.");
        await poster.RunAsync(meeting, clock.GetUtcNow(), cancellationToken);
    }
}
