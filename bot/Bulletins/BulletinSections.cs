using Rollout.Bot.Hosting;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Bulletins;

/// <summary>What a bulletin section is told: the meeting it is for, what happened since the previous bulletin, now.</summary>
public sealed record BulletinContext(RolloutDb Db, MeetingOccurrence Occurrence, DateTimeOffset Since, DateTimeOffset Now, CancellationToken Ct);

/// <summary>A section of the bulletin: Markdown written for a channel (never a restricted release), or null to say nothing.</summary>
public delegate Task<string?> BulletinSection(BulletinContext context);

public static class BulletinsSetup
{
    /// <summary>The bulletin's sections; features add theirs with <c>services.AddContribution&lt;BulletinSection&gt;(name, order, …)</c>.</summary>
    public static IServiceCollection AddBulletins(this IServiceCollection services)
    {
        services.AddContribution<BulletinSection>("tickets", 100, _ => c => TicketDigest.BuildAsync(c.Db, c.Since, c.Now, c.Ct)!);
        return services;
    }
}
