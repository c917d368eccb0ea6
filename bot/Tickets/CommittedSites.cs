using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>The sites a release is for: committed to its component on its platform, the ones the acceptance nags go to.</summary>
public static class CommittedSites
{
    /// <summary>
    /// Active commitments to the component; one for another platform is not a promise to test this build, one
    /// without a platform covers all.
    /// </summary>
    public static Task<List<Site>> ForReleaseAsync(RolloutDb db, Ticket ticket, CancellationToken ct)
    {
        var component = ticket.Component.ToLower();
        var os = ticket.Os?.Trim().ToLower();
        var arch = ticket.Arch?.Trim().ToLower();
        var siteIds = db.Commitments.AsNoTracking().Where(c => c.EndedAt == null && c.Component.ToLower() == component)
            .Where(c => os == null || os == "" || c.Os == null || c.Os == "" || c.Os.ToLower() == os)
            .Where(c => arch == null || arch == "" || c.Arch == null || c.Arch == "" || c.Arch.ToLower() == arch)
            .Select(c => c.SiteId);
        return db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>Whether the site has an active commitment to the component on any platform (what a restricted release requires).</summary>
    public static Task<bool> IsCommittedAsync(RolloutDb db, long siteId, string component, CancellationToken ct)
    {
        var name = component.ToLower();
        return db.Commitments.AnyAsync(c => c.SiteId == siteId && c.EndedAt == null && c.Component.ToLower() == name, ct);
    }

    /// <summary>
    /// Which of <paramref name="siteIds"/> (the caller's sites) may take part in <paramref name="ticket"/>: all of them,
    /// except that a restricted release is only for the sites committed to its component. The one rule /accept, /pass
    /// and the caller's own release card share.
    /// </summary>
    public static async Task<List<long>> EligibleAsync(RolloutDb db, Ticket ticket, IReadOnlyCollection<long> siteIds, CancellationToken ct)
    {
        var ids = siteIds.ToList();
        if (!ticket.IsRestricted) return ids;
        var component = ticket.Component.ToLower();
        return await db.Commitments.AsNoTracking()
            .Where(c => c.EndedAt == null && ids.Contains(c.SiteId) && c.Component.ToLower() == component)
            .Select(c => c.SiteId).Distinct().ToListAsync(ct);
    }
}
