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

    public static readonly CommandDefinition RoleCommand = new("role", "Coordinator", RoleUsage,
        $"give or take a role ({string.Join(", ", RoleNames.All)}); site-admin needs site=", HandleAsync);

    public static readonly CommandDefinition WhoAmICommand = new("whoami", "Everyone", ["/whoami"],
        "your chat user id, your roles and your sites", WhoAmIAsync);

    public static IServiceCollection AddRoleCommands(this IServiceCollection services)
    {
        services.AddCommand(RoleCommand);
        services.AddCommand(WhoAmICommand);
        return services;
    }

    private sealed record Request(string UserId, Role Role, Site? Site);

    private static async Task HandleAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var caller = await ctx.CallerAsync(db);
        var verb = ctx.Command.Verb;
        if (verb is not ("grant" or "revoke"))
        {
            ctx.Fail(verb is null ? "Say what to do: `grant` or `revoke`." : $"`/role {verb}` is not a thing I do.", RoleUsage, "/role");
            return;
        }
        if (!ctx.Require(caller, Role.Coordinator, $"{verb} roles")) return;

        var input = new CommandInput(ctx.Command, "user", "role", "site");
        var userId = input.Required("user", "the person's chat user id (they see it with `/whoami`)");
        var roleText = input.Required("role", string.Join(", ", RoleNames.All));
        var hasRole = RoleNames.TryParse(roleText, out var role);
        if (roleText.Length > 0 && !hasRole) input.Problem($"`role={roleText}` is not a role: {string.Join(", ", RoleNames.All)}.");
        var siteName = input.Optional("site");
        Site? site = null;
        if (hasRole && role == Role.SiteAdmin)
        {
            if (siteName is null) input.Problem("`site=` is missing: role=site-admin is given per site.");
            else if ((site = await Sites.FindAsync(db, siteName, ctx.Cancellation)) is null)
                input.Problem($"I know no site named **{siteName}**. `/sites` lists them.");
        }
        else if (hasRole && siteName is not null)
        {
            input.Problem($"`site=` only goes with role=site-admin; {roleText} is not per site.");
        }
        if (input.IsValid)
        {
            var request = new Request(userId, role, site);
            if (verb == "grant") await CheckGrantAsync(ctx, db, request, input);
            else await CheckRevokeAsync(ctx, db, request, input);
        }
        if (!input.IsValid)
        {
            ctx.Fail(input.Problems, RoleUsage, "/role " + verb);
            return;
        }

        var reply = verb == "grant"
            ? Grant(ctx, db, caller, new Request(userId, role, site))
            : await RevokeAsync(ctx, db, caller, new Request(userId, role, site));
        if (!await ctx.SaveAsync(db)) return;
        ctx.Reply(reply);
    }

    private static bool IsConfiguredCoordinator(CommandContext ctx, string userId) =>
        ctx.Services.GetRequiredService<IOptions<RoleOptions>>().Value.Coordinators.Contains(userId, StringComparer.Ordinal);

    private static Task<SiteAdmin?> ActiveAdminAsync(RolloutDb db, Request r, CancellationToken ct) =>
        db.SiteAdmins.FirstOrDefaultAsync(a => a.SiteId == r.Site!.Id && a.UserId == r.UserId && a.RemovedAt == null, ct);

    private static Task<RoleGrant?> ActiveGrantAsync(RolloutDb db, Request r, CancellationToken ct) =>
        db.RoleGrants.FirstOrDefaultAsync(g => g.UserId == r.UserId && g.Role == r.Role && g.RevokedAt == null, ct);

    private static async Task CheckGrantAsync(CommandContext ctx, RolloutDb db, Request r, CommandInput input)
    {
        if (r.Site is not null && await ActiveAdminAsync(db, r, ctx.Cancellation) is not null)
            input.Problem($"{r.UserId} is already a site-admin of **{r.Site.Name}**.");
        else if (r.Site is null && r.Role == Role.Coordinator && IsConfiguredCoordinator(ctx, r.UserId))
            input.Problem($"{r.UserId} is already a coordinator (from configuration, Roles:Coordinators).");
        else if (r.Site is null && await ActiveGrantAsync(db, r, ctx.Cancellation) is not null)
            input.Problem($"{r.UserId} already has the role {r.Role.ToName()}.");
    }

    private static async Task CheckRevokeAsync(CommandContext ctx, RolloutDb db, Request r, CommandInput input)
    {
        if (r.Site is not null)
        {
            if (await ActiveAdminAsync(db, r, ctx.Cancellation) is null)
                input.Problem($"{r.UserId} is not a site-admin of **{r.Site.Name}**.");
        }
        else if (await ActiveGrantAsync(db, r, ctx.Cancellation) is null)
        {
            input.Problem(r.Role == Role.Coordinator && IsConfiguredCoordinator(ctx, r.UserId)
                ? $"{r.UserId} is a coordinator by configuration: remove them from Roles:Coordinators instead."
                : $"{r.UserId} does not have the role {r.Role.ToName()}.");
        }
    }

    private static string Grant(CommandContext ctx, RolloutDb db, Caller caller, Request r)
    {
        var now = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (r.Site is not null)
        {
            db.SiteAdmins.Add(new SiteAdmin { SiteId = r.Site.Id, UserId = r.UserId, Name = r.UserId, AddedAt = now });
            return $"{r.UserId} is now a site-admin of **{r.Site.Name}**. `/site admin` with the same user sets their name and e-mail.";
        }
        db.RoleGrants.Add(new RoleGrant { UserId = r.UserId, Role = r.Role, GrantedBy = caller.UserId, GrantedAt = now });
        return $"{r.UserId} now has the role **{r.Role.ToName()}** (granted by {caller.Name}).";
    }

    private static async Task<string> RevokeAsync(CommandContext ctx, RolloutDb db, Caller caller, Request r)
    {
        var now = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (r.Site is not null)
        {
            (await ActiveAdminAsync(db, r, ctx.Cancellation))!.RemovedAt = now;
            return $"{r.UserId} is no longer a site-admin of **{r.Site.Name}**.";
        }
        var grant = (await ActiveGrantAsync(db, r, ctx.Cancellation))!;
        grant.RevokedAt = now;
        grant.RevokedBy = caller.UserId;
        return $"{r.UserId} no longer has the role **{r.Role.ToName()}**.";
    }

    private static async Task WhoAmIAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var caller = await ctx.CallerAsync(db);
        var sites = await db.Sites.AsNoTracking().Where(s => caller.AdminOfSiteIds.Contains(s.Id))
            .Select(s => s.Name).OrderBy(n => n).ToListAsync(ctx.Cancellation);
        var roles = caller.Roles.Count == 0 ? "none yet (a coordinator grants them with `/role grant`)"
            : string.Join(", ", caller.Roles.Select(r => r.ToName()).Order(StringComparer.Ordinal));
        ctx.Reply($"You are **{caller.Name}**, chat user id `{caller.UserId}`.\n- roles: {roles}\n- site-admin of: " +
            (sites.Count == 0 ? "no site" : string.Join(", ", sites)));
    }
}
