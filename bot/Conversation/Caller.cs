using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>Who did something, as history and notices name them: a person, or the bot itself (reminders).</summary>
public sealed record Actor(string UserId, string Name)
{
    public static readonly Actor Bot = new("bot", "Rollout.Bot");
}

/// <summary>
/// Who is asking: the chat user, their roles, the sites they administer and what those sites are committed to
/// (lower-cased component names: enough to decide which restricted releases they may see). Loaded fresh every turn.
/// </summary>
public sealed record Caller(string UserId, string Name, IReadOnlySet<Role> Roles, IReadOnlySet<long> AdminOfSiteIds,
    IReadOnlySet<string> CommittedComponents)
{
    public bool Has(Role role) => Roles.Contains(role);
    public bool IsCoordinator => Roles.Contains(Role.Coordinator);
    public bool IsAdminOf(long siteId) => AdminOfSiteIds.Contains(siteId);
    public Actor Actor => new(UserId, Name);

    /// <summary>The roles as /whoami and refusals name them.</summary>
    public string HeldRoles => Roles.Count == 0 ? "no role" : string.Join(", ", Roles.Select(r => r.ToName()).Order(StringComparer.Ordinal));
}

public sealed class RoleOptions
{
    public const string Section = "Roles";

    /// <summary>Chat user ids that are coordinators from the start; they grant every other role by command.</summary>
    [Required]
    public List<string> Coordinators { get; set; } = [];

    public bool IsConfiguredCoordinator(string userId) => Coordinators.Contains(userId, StringComparer.Ordinal);
}

public sealed class CallerResolver(IOptions<RoleOptions> options)
{
    public async Task<Caller> ResolveAsync(string userId, string name, RolloutDb db, CancellationToken ct)
    {
        var roles = await db.RoleGrants.AsNoTracking()
            .Where(g => g.UserId == userId && g.RevokedAt == null)
            .Select(g => g.Role)
            .ToListAsync(ct);
        // One query for the sites and their active commitments: a site with none still counts as administered.
        var sites = await db.SiteAdmins.AsNoTracking()
            .Where(a => a.UserId == userId && a.RemovedAt == null)
            .SelectMany(a => db.Commitments.Where(c => c.SiteId == a.SiteId && c.EndedAt == null).Select(c => c.Component.ToLower()).DefaultIfEmpty(),
                (a, component) => new { a.SiteId, Component = component })
            .ToListAsync(ct);

        var set = roles.ToHashSet();
        if (options.Value.IsConfiguredCoordinator(userId)) set.Add(Role.Coordinator);
        if (sites.Count > 0) set.Add(Role.SiteAdmin);
        return new Caller(userId, name, set, sites.Select(s => s.SiteId).ToHashSet(),
            sites.Where(s => s.Component is not null).Select(s => s.Component!).ToHashSet(StringComparer.Ordinal));
    }
}
