using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations;

/// <summary>Ready means: the database answers and has every migration this build carries.</summary>
public sealed class DatabaseCheck(IDbContextFactory<RolloutDb> dbs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var missing = await SchemaMigrator.MissingAsync(db, ct);
            var engine = db.Database.IsNpgsql() ? "postgres" : "sqlite";
            return missing.Count == 0
                ? HealthCheckResult.Healthy($"{engine}, schema up to date")
                : HealthCheckResult.Unhealthy($"{engine}: migrations not applied: {string.Join(", ", missing)} (restart the bot to apply them)");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer: " + ex.Message);
        }
    }
}

/// <summary>Quartz (bulletins, reminder sweeps) must be started and not in stand-by, unless scheduling is switched off.</summary>
public sealed class SchedulerCheck(IServiceProvider services, IOptions<Rollout.Bot.Scheduling.SchedulingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!options.Value.Enabled) return HealthCheckResult.Healthy("scheduling is switched off (Scheduling:Enabled=false)");
        var factory = services.GetService<ISchedulerFactory>();
        if (factory is null) return HealthCheckResult.Unhealthy("scheduling is on but no scheduler is registered");
        var scheduler = await factory.GetScheduler(ct);
        var status = await scheduler.GetStatus(ct);
        if (status != SchedulerStatus.Running) return HealthCheckResult.Unhealthy($"the scheduler is not running: {status}");
        return HealthCheckResult.Healthy($"scheduler {await scheduler.GetSchedulerInstanceId(ct)} running");
    }
}

/// <summary>
/// The outbox is stuck when a notice has been due, and unclaimed, for longer than <c>Operations:OutboxStuckAfter</c>:
/// no dispatcher is picking work up. A channel that is down is not "stuck" (its notices wait for their retry time),
/// it shows as lag on /metrics. Parked notices make the check degraded (still ready): someone has to look at /outbox.
/// </summary>
public sealed class OutboxCheck(IDbContextFactory<RolloutDb> dbs, TimeProvider clock, IOptions<OperationsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var state = StateGauges.ReadOutbox(db, now);
        var data = new Dictionary<string, object>
        {
            ["pending"] = state.Pending, ["parked"] = state.Parked, ["lagSeconds"] = Math.Round(state.LagSeconds, 1),
        };
        var stuckAfter = options.Value.OutboxStuckAfter;
        if (state.OldestDueAt is { } due && now - due > stuckAfter)
            return HealthCheckResult.Unhealthy($"a notice has been due since {due:u} and no dispatcher took it (more than {stuckAfter})", data: data);
        if (state.Parked > 0)
            return HealthCheckResult.Degraded($"{state.Parked} parked notice(s): a coordinator sees them with /outbox", data: data);
        return HealthCheckResult.Healthy($"{state.Pending} pending", data);
    }
}
