using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>
/// <c>/role grant|revoke</c> (coordinators) and <c>/whoami</c> (everyone). Grants are history: revoking marks
/// them, never deletes. Site admins live in the registry, so role=site-admin adds or removes a site admin.
/// </summary>
public static class RoleCommands
{
    private static readonly string[] RoleUsage = ["/role grant user=… role=… [site=…]", "/role revoke user=… role=… [site=…]"];

    public static CommandDefinition RoleCommand(RoleOptions options) => new("role", "Coordinator", RoleUsage,
        $"give or take a role ({string.Join(", ", RoleNames.All)}); site-admin needs site=", Writes: true, s => HandleAsync(s, options));

    public static readonly CommandDefinition WhoAmICommand = new("whoami", "Everyone", ["/whoami"],
        "your chat user id, your roles and your sites", Writes: false, WhoAmIAsync);

    public static IServiceCollection AddRoleCommands(this IServiceCollection services)
    {
        services.AddCommand(sp => RoleCommand(sp.Options<RoleOptions>()));
        services.AddCommand(WhoAmICommand);
        return services;
    }

    private sealed record Request(string UserId, Role Role, Site? Site);

    private static async Task<Reply> HandleAsync(CommandSession s, RoleOptions options)
    {
        var verb = s.Command.Verb;
        if (verb is not ("grant" or "revoke"))
            return Refusals.Problem(verb is null ? "Say what to do: `grant` or `revoke`." : $"`/role {verb}` is not a thing I do.", RoleUsage, "/role");
        if (s.Require(Role.Coordinator, $"{verb} roles") is { } refused) return refused;

        var input = new CommandInput(s.Command, "user", "role", "site");
        var userId = input.Required("user", "the person's chat user id (they see it with `/whoami`)");
        var roleText = input.Required("role", string.Join(", ", RoleNames.All));
        var hasRole = RoleNames.TryParse(roleText, out var role);
        if (roleText.Length > 0 && !hasRole) input.Problem($"`role={roleText}` is not a role: {string.Join(", ", RoleNames.All)}.");
        var siteName = input.Optional("site");
        Site? site = null;
        if (hasRole && role == Role.SiteAdmin)
        {
            if (siteName is null) input.Problem("`site=` is missing: role=site-admin is given per site.");
            else if ((site = await Sites.FindAsync(s.Db, siteName, s.Ct)) is null)
                input.Problem($"I know no site named **{siteName}**. `/sites` lists them.");
        }
        else if (hasRole && siteName is not null)
        {
            input.Problem($"`site=` only goes with role=site-admin; {roleText} is not per site.");
        }
        var request = new Request(userId, role, site);
        if (input.IsValid)
        {
            if (verb == "grant") await CheckGrantAsync(s, options, request, input);
            else await CheckRevokeAsync(s, options, request, input);
        }
        if (!input.IsValid) return input.Refusal(RoleUsage, "/role " + verb);
        return verb == "grant" ? Grant(s, request) : await RevokeAsync(s, request);
    }

    private static Task<SiteAdmin?> ActiveAdminAsync(RolloutDb db, Request r, CancellationToken ct) =>
        db.SiteAdmins.FirstOrDefaultAsync(a => a.SiteId == r.Site!.Id && a.UserId == r.UserId && a.RemovedAt == null, ct);

    private static Task<RoleGrant?> ActiveGrantAsync(RolloutDb db, Request r, CancellationToken ct) =>
        db.RoleGrants.FirstOrDefaultAsync(g => g.UserId == r.UserId && g.Role == r.Role && g.RevokedAt == null, ct);

    private static async Task CheckGrantAsync(CommandSession s, RoleOptions options, Request r, CommandInput input)
    {
        if (r.Site is not null && await ActiveAdminAsync(s.Db, r, s.Ct) is not null)
            input.Problem($"{r.UserId} is already a site-admin of **{r.Site.Name}**.");
        else if (r.Site is null && r.Role == Role.Coordinator && options.IsConfiguredCoordinator(r.UserId))
            input.Problem($"{r.UserId} is already a coordinator (from configuration, Roles:Coordinators).");
        else if (r.Site is null && await ActiveGrantAsync(s.Db, r, s.Ct) is not null)
            input.Problem($"{r.UserId} already has the role {r.Role.ToName()}.");
    }

    private static async Task CheckRevokeAsync(CommandSession s, RoleOptions options, Request r, CommandInput input)
    {
        if (r.Site is not null)
        {
            if (await ActiveAdminAsync(s.Db, r, s.Ct) is null)
                input.Problem($"{r.UserId} is not a site-admin of **{r.Site.Name}**.");
        }
        else if (await ActiveGrantAsync(s.Db, r, s.Ct) is null)
        {
            input.Problem(r.Role == Role.Coordinator && options.IsConfiguredCoordinator(r.UserId)
                ? $"{r.UserId} is a coordinator by configuration: remove them from Roles:Coordinators instead."
                : $"{r.UserId} does not have the role {r.Role.ToName()}.");
        }
    }

    private static Reply Grant(CommandSession s, Request r)
    {
        if (r.Site is not null)
        {
            s.Db.SiteAdmins.Add(new SiteAdmin { SiteId = r.Site.Id, UserId = r.UserId, Name = r.UserId, AddedAt = s.Now });
            RegistryLog.Record(s.Db, r.Site, s.Actor, s.Now, "admin added", to: $"{r.UserId} (/role grant)");
            return $"{r.UserId} is now a site-admin of **{r.Site.Name}**. `/site admin` with the same user sets their name and e-mail.";
        }
        s.Db.RoleGrants.Add(new RoleGrant { UserId = r.UserId, Role = r.Role, GrantedBy = s.Caller.UserId, GrantedAt = s.Now });
        return $"{r.UserId} now has the role **{r.Role.ToName()}** (granted by {s.Caller.Name}).";
    }

    private static async Task<Reply> RevokeAsync(CommandSession s, Request r)
    {
        if (r.Site is not null)
        {
            (await ActiveAdminAsync(s.Db, r, s.Ct))!.RemovedAt = s.Now;
            RegistryLog.Record(s.Db, r.Site, s.Actor, s.Now, "admin removed", $"{r.UserId} (/role revoke)");
            return $"{r.UserId} is no longer a site-admin of **{r.Site.Name}**.";
        }
        var grant = (await ActiveGrantAsync(s.Db, r, s.Ct))!;
        grant.RevokedAt = s.Now;
        grant.RevokedBy = s.Caller.UserId;
        return $"{r.UserId} no longer has the role **{r.Role.ToName()}**.";
    }

    private static async Task<Reply> WhoAmIAsync(CommandSession s)
    {
        var caller = s.Caller;
        var ids = caller.AdminOfSiteIds.ToList();
        var sites = await s.Db.Sites.AsNoTracking().Where(x => ids.Contains(x.Id))
            .Select(x => x.Name).OrderBy(n => n).ToListAsync(s.Ct);
        var roles = caller.Roles.Count == 0 ? "none yet (a coordinator grants them with `/role grant`)" : caller.HeldRoles;
        return $"You are **{caller.Name}**, chat user id `{caller.UserId}`.\n- roles: {roles}\n- site-admin of: " +
            (sites.Count == 0 ? "no site" : string.Join(", ", sites));
    }
}
