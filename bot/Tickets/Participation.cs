using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tickets;

/// <summary>One site's part in a ticket's staged rollout: accepted, then done with a report, or withdrawn by a coordinator.</summary>
public sealed class Participation
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long SiteId { get; set; }
    public required string SiteName { get; set; }
    public required string AcceptedBy { get; set; }
    public required string AcceptedByName { get; set; }
    public DateTimeOffset AcceptedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public Outcome? Outcome { get; set; }
    public string? Report { get; set; }
    public double? Hours { get; set; }
    public string? BugUrls { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnBy { get; set; }
    public string? WithdrawReason { get; set; }

    /// <summary>Accepted and neither done nor withdrawn: the ticket cannot close while any site is open.</summary>
    public bool IsOpen => DoneAt is null && WithdrawnAt is null;

    public string Status => WithdrawnAt is not null ? "withdrawn" : DoneAt is not null ? $"done ({Outcome?.ToName()})" : "accepted";

    internal static void Map(ModelBuilder model) => model.Entity<Participation>(e =>
    {
        e.ToTable("ticket_participations");
        e.HasKey(p => p.Id);
        e.Property(p => p.Outcome)
            .HasConversion(v => v == null ? null : v.Value.ToName(), s => s == null ? null : TicketNames.Parse<Outcome>(s));
        e.HasIndex(p => new { p.TicketId, p.SiteId }).IsUnique();
        e.Ignore(p => p.IsOpen);
        e.Ignore(p => p.Status);
    });
}
