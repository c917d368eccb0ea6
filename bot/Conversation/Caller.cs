using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>Who is asking: the chat user, their roles, and the sites they administer. Loaded fresh every turn.</summary>
public sealed record Caller(string UserId, string Name, IReadOnlySet<Role> Roles, IReadOnlySet<long> AdminOfSiteIds)
{
    public bool Has(Role role) => Roles.Contains(role);
    public bool IsCoordinator => Roles.Contains(Role.Coordinator);
    public bool IsAdminOf(long siteId) => AdminOfSiteIds.Contains(siteId);
}

public sealed class RoleOptions
{
    public const string Section = "Roles";

    /// <summary>Chat user ids that are coordinators from the start; they grant every other role by command.</summary>
    [Required]
    public List<string> Coordinators { get; set; } = [];
}

public sealed class CallerResolver(IOptions<RoleOptions> options)
{
    public async Task<Caller> ResolveAsync(TurnContext turn, RolloutDb db, CancellationToken ct)
    {
        var userId = turn.UserId;
        var roles = await db.RoleGrants.AsNoTracking()
            .Where(g => g.UserId == userId && g.RevokedAt == null)
            .Select(g => g.Role)
            .ToListAsync(ct);
        var sites = await db.SiteAdmins.AsNoTracking()
            .Where(a => a.UserId == userId && a.RemovedAt == null)
            .Select(a => a.SiteId)
            .ToListAsync(ct);

        var set = roles.ToHashSet();
        if (options.Value.Coordinators.Contains(userId, StringComparer.Ordinal)) set.Add(Role.Coordinator);
        if (sites.Count > 0) set.Add(Role.SiteAdmin);
        return new Caller(userId, turn.UserName, set, sites.ToHashSet());
    }
}
