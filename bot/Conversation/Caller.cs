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
    // Every turn resolves its caller: compiled once, the query skips EF's per-call expression-tree work, which was the
    // largest CPU cost of a read-only turn (tests/bench/RESULTS.md, "Round trips"), and it is one statement, not one per
    // kind of fact (a statement costs about as much again as the little it reads). A compiled query is bound to the
    // database engine it first ran on, so there is one per engine (the tests run both in one process).
    private static readonly ConcurrentDictionary<bool, Func<RolloutDb, string, IAsyncEnumerable<CallerFact>>> ByEngine = new();

    private static Func<RolloutDb, string, IAsyncEnumerable<CallerFact>> Compile() => EF.CompileAsyncQuery(
        (RolloutDb db, string userId) =>
            // Granted roles, and the roles the person's identity provider gave at their last sign-in (Identity/SignInRole).
            db.RoleGrants.AsNoTracking().Where(g => g.UserId == userId && g.RevokedAt == null)
                .Select(g => new CallerFact { Role = g.Role, SiteId = null, Component = null })
                .Concat(db.SignInRoles.AsNoTracking().Where(r => r.UserId == userId)
                    .Select(r => new CallerFact { Role = r.Role, SiteId = null, Component = null }))
                // The sites administered with their active commitments: a site with none still counts as administered.
                .Concat(db.SiteAdmins.AsNoTracking().Where(a => a.UserId == userId && a.RemovedAt == null)
                    .SelectMany(a => db.Commitments.Where(c => c.SiteId == a.SiteId && c.EndedAt == null).Select(c => c.Component.ToLower()).DefaultIfEmpty(),
                        (a, component) => new CallerFact { Role = null, SiteId = a.SiteId, Component = component })));

    /// <summary>One row of what the caller holds: a role, or an administered site with one of its committed components.</summary>
    private sealed class CallerFact
    {
        public Role? Role { get; init; }
        public long? SiteId { get; init; }
        public string? Component { get; init; }
    }

    public async Task<Caller> ResolveAsync(string userId, string name, RolloutDb db, CancellationToken ct)
    {
        var query = ByEngine.GetOrAdd(db.IsNpgsql, _ => Compile());
        var set = new HashSet<Role>();
        var sites = new HashSet<long>();
        var components = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var fact in query(db, userId).WithCancellation(ct))
        {
            if (fact.Role is { } role) set.Add(role);
            if (fact.SiteId is { } site) sites.Add(site);
            if (fact.Component is { } component) components.Add(component);
        }

        if (options.Value.IsConfiguredCoordinator(userId)) set.Add(Role.Coordinator);
        if (sites.Count > 0) set.Add(Role.SiteAdmin);
        return new Caller(userId, name, set, sites, components);
    }
}
