using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tickets;

/// <summary>
/// A site's "not this time" for one ticket (seed 000: the coordinator issues work orders; a site may answer that it
/// cannot take this one). The acceptance nags skip the site, the escalation names its reason, the metrics count it
/// apart from silence. A site that later changes its mind may still accept.
/// </summary>
public sealed class SiteDecline
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public long SiteId { get; set; }
    public required string SiteName { get; set; }
    public required string DeclinedBy { get; set; }
    public required string DeclinedByName { get; set; }
    public DateTimeOffset DeclinedAt { get; set; }
    public required string Reason { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<SiteDecline>(e =>
    {
        e.ToTable("ticket_declines");
        e.HasKey(d => d.Id);
        e.HasIndex(d => new { d.TicketId, d.SiteId }).IsUnique();
        e.HasIndex(d => d.DeclinedAt);
    });
}
