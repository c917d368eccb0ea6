using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Pilots;

/// <summary>
/// The effort of one task of one pilot by one party (a site, a VO, a person), in person-hours: the default of seed 001's
/// table written when the step happens, and the actual effort when someone reports it. Credits = hours (1 credit = 1 PH).
/// </summary>
public sealed class PilotEffort
{
    public long Id { get; set; }
    public long PilotId { get; set; }
    public required string Task { get; set; }
    /// <summary>coordinator, pilot-coordinator, site, vo, expert: the roles credits are summed by.</summary>
    public required string Role { get; set; }
    public required string Party { get; set; }
    public long? SiteId { get; set; }
    public decimal DefaultHours { get; set; }
    public decimal? ActualHours { get; set; }
    public DateTimeOffset At { get; set; }

    public decimal Credits => ActualHours ?? DefaultHours;

    public const string Coordinator = "coordinator", PilotCoordinator = "pilot-coordinator", Site = "site", Vo = "vo", Expert = "expert";

    internal static void Map(ModelBuilder model) => model.Entity<PilotEffort>(e =>
    {
        e.ToTable("pilot_effort");
        e.HasKey(x => x.Id);
        e.Property(x => x.DefaultHours).HasConversion<double>();
        e.Property(x => x.ActualHours).HasConversion<double?>();
        e.HasIndex(x => new { x.PilotId, x.Task, x.Party }).IsUnique();
        e.Ignore(x => x.Credits);
    });
}
