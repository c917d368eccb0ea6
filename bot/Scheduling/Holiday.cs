using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Scheduling;

/// <summary>A holiday added by command: no working day for everyone, or only for one site when <see cref="SiteId"/> is set.</summary>
public sealed class Holiday
{
    public long Id { get; set; }
    public DateOnly Date { get; set; }
    public required string Name { get; set; }
    public long? SiteId { get; set; }
    public required string AddedBy { get; set; }
    public DateTimeOffset AddedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<Holiday>(e =>
    {
        e.ToTable("holidays");
        e.HasKey(h => h.Id);
    });
}

/// <summary>A holiday as the calendar sees it, whether it came from configuration or from <c>/holiday add</c>.</summary>
public sealed record HolidayEntry(DateOnly Date, string Name, string? Site, bool FromConfiguration);
