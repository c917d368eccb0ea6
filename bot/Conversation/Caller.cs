using System.Collections.Concurrent;
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
    // Every turn resolves its caller: compiled once, the two queries skip EF's per-call expression-tree work, which
    // was the largest CPU cost of a read-only turn (tests/bench/RESULTS.md, "Round trips"). A compiled query is bound
    // to the database engine it first ran on, so there is one set per engine (the tests run both in one process).
    private static readonly ConcurrentDictionary<string, Queries> ByEngine = new(StringComparer.Ordinal);

    private sealed class Queries
    {
        // Granted roles, and the roles the person's identity provider gave at their last sign-in (Identity/SignInRole).
        public readonly Func<RolloutDb, string, IAsyncEnumerable<Role>> RolesOf = EF.CompileAsyncQuery(
            (RolloutDb db, string userId) => db.RoleGrants.AsNoTracking()
                .Where(g => g.UserId == userId && g.RevokedAt == null)
                .Select(g => g.Role)
                .Concat(db.SignInRoles.AsNoTracking().Where(r => r.UserId == userId).Select(r => r.Role)));

        // One query for the sites and their active commitments: a site with none still counts as administered.
        public readonly Func<RolloutDb, string, IAsyncEnumerable<AdministeredSite>> SitesOf = EF.CompileAsyncQuery(
            (RolloutDb db, string userId) => db.SiteAdmins.AsNoTracking()
                .Where(a => a.UserId == userId && a.RemovedAt == null)
                .SelectMany(a => db.Commitments.Where(c => c.SiteId == a.SiteId && c.EndedAt == null).Select(c => c.Component.ToLower()).DefaultIfEmpty(),
                    (a, component) => new AdministeredSite(a.SiteId, component)));
    }

    private sealed record AdministeredSite(long SiteId, string? Component);

    public async Task<Caller> ResolveAsync(string userId, string name, RolloutDb db, CancellationToken ct)
    {
        var queries = ByEngine.GetOrAdd(db.Database.ProviderName ?? "", _ => new Queries());
        var set = new HashSet<Role>();
        await foreach (var role in queries.RolesOf(db, userId).WithCancellation(ct)) set.Add(role);
        var sites = new List<AdministeredSite>();
        await foreach (var site in queries.SitesOf(db, userId).WithCancellation(ct)) sites.Add(site);

        if (options.Value.IsConfiguredCoordinator(userId)) set.Add(Role.Coordinator);
        if (sites.Count > 0) set.Add(Role.SiteAdmin);
        return new Caller(userId, name, set, sites.Select(s => s.SiteId).ToHashSet(),
            sites.Where(s => s.Component is not null).Select(s => s.Component!).ToHashSet(StringComparer.Ordinal));
    }
}
