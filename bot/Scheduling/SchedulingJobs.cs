using Quartz;

namespace Rollout.Bot.Scheduling;

/// <summary>Quartz adapter: sweeps the reminders table. All the logic is in <see cref="ReminderRunner"/>.</summary>
public sealed class ReminderJob(ReminderRunner runner, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runner.RunDueAsync(clock.GetUtcNow(), cancellationToken);
}

/// <summary>
/// Quartz adapter: the bulletin sweep. Meetings are data that coordinators change at any time, so instead of one
/// trigger per meeting the sweep asks <see cref="BulletinRule"/> about every meeting each round.
/// </summary>
public sealed class BulletinJob(BulletinPoster poster, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await poster.RunDueAsync(clock.GetUtcNow(), cancellationToken);
}
