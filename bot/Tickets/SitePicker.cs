using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>Which of the caller's sites a site-admin command is for: the one given by site=, or the only candidate.</summary>
public static class SitePicker
{
    public static async Task<(Site? Site, string? Error)> PickAsync(
        TicketSession s, string? typed, IReadOnlyCollection<long> candidates, string none, string usage, CancellationToken ct)
    {
        var ids = candidates.ToList();
        var sites = await s.Db.Sites.AsNoTracking().Where(x => ids.Contains(x.Id)).OrderBy(x => x.Name).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(typed))
        {
            var named = sites.FirstOrDefault(x => string.Equals(x.Name, typed.Trim(), StringComparison.OrdinalIgnoreCase));
            if (named is not null) return (named, null);
            var mine = await s.Db.Sites.AsNoTracking().Where(x => s.Caller.AdminOfSiteIds.Contains(x.Id)).Select(x => x.Name).ToListAsync(ct);
            return (null, $"'{typed}' is not one of {(sites.Count == 0 ? "your sites" : string.Join(", ", sites.Select(x => x.Name)))} here" +
                (mine.Count > 0 ? $" (you administer {string.Join(", ", mine)})." : "."));
        }
        return sites.Count switch
        {
            0 => (null, none),
            1 => (sites[0], null),
            _ => (null, $"You administer several sites ({string.Join(", ", sites.Select(x => x.Name))}): say which with site=…. {usage}"),
        };
    }
}
