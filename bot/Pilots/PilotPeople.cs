using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Pilots;

/// <summary>Who is reached for a pilot: the admins of its sites, the contacts of its VOs.</summary>
public static class PilotPeople
{
    public static Task<List<string>> AdminsAsync(RolloutDb db, long siteId, CancellationToken ct) =>
        db.SiteAdmins.AsNoTracking().Where(a => a.SiteId == siteId && a.RemovedAt == null).OrderBy(a => a.UserId).Select(a => a.UserId).ToListAsync(ct);

    /// <summary>The admins of the accepted sites and the contacts of the accepted VOs, each once.</summary>
    public static async Task<List<string>> ParticipantsAsync(RolloutDb db, Pilot pilot, CancellationToken ct)
    {
        var siteIds = pilot.Sites(ParticipantState.Accepted).Select(x => x.SiteId!.Value).ToList();
        var admins = await db.SiteAdmins.AsNoTracking().Where(a => siteIds.Contains(a.SiteId) && a.RemovedAt == null).Select(a => a.UserId).ToListAsync(ct);
        return admins.Concat(pilot.Vos(ParticipantState.Accepted).Select(v => v.ContactUserId!)).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
