using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// Seed 002 §3.1: a site admin asks to become an Early Adopter (<c>/join</c>, anyone) with site, name, e-mail and
/// component; coordinators list (<c>/requests</c>), approve or decline. Approving creates what is missing of site,
/// admin and commitment in one save.
/// </summary>
public static class EngagementCommands
{
    private static readonly string[] JoinUsage = ["/join site=… name=\"…\" email=… component=… [os=… arch=…]"];
    private static readonly string[] ApproveUsage = ["/approve req=N"];
    private static readonly string[] DeclineUsage = ["/decline req=N reason=\"…\""];

    public static readonly CommandDefinition Join = new("join", "Everyone", JoinUsage,
        "ask to become an Early Adopter of a component (coordinators decide)", JoinAsync);

    public static readonly CommandDefinition Requests = new("requests", "Coordinator", ["/requests"],
        "pending requests to join as Early Adopter", ListAsync);

    public static readonly CommandDefinition Approve = new("approve", "Coordinator", ApproveUsage,
        "approve a request: adds the site if new, the admin and the commitment", ApproveAsync);

    public static readonly CommandDefinition Decline = new("decline", "Coordinator", DeclineUsage,
        "decline a request, saying why", DeclineAsync);

    private static async Task JoinAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var input = new CommandInput(ctx.Command, "site", "name", "email", "component", "os", "arch");
        var siteName = input.Required("site", "your site's name");
        var adminName = input.Required("name", "your name, in quotes if it has spaces");
        var email = input.Email("email", required: true);
        var componentName = input.Required("component", "the component, see `/components`");
        var (os, arch) = (input.Optional("os"), input.Optional("arch"));
        var component = componentName.Length > 0 ? await ComponentCatalogue.FindAsync(db, componentName, ctx.Cancellation) : null;
        if (componentName.Length > 0 && component is not { RetiredAt: null })
            input.Problem($"**{componentName}** is not in the component catalogue: `/components` lists them, `/vacancies` those that need a site.");
        var site = siteName.Length > 0 ? await Sites.FindAsync(db, siteName, ctx.Cancellation) : null;
        if (site is not null && component is not null
            && (await CommitmentCommands.FindActiveAsync(db, site.Id, component.Name, ctx.Cancellation))
                .Any(c => Sites.SameTarget(c.Os, os) && Sites.SameTarget(c.Arch, arch)))
            input.Problem($"**{site.Name}** is already committed to {Sites.Describe(component.Name, os, arch)}.");
        var userId = ctx.Turn.UserId;
        var lowerSite = siteName.ToLowerInvariant();
        var lowerComponent = componentName.ToLowerInvariant();
        if (input.IsValid && await db.EngagementRequests.AnyAsync(r => r.State == RequestState.Pending && r.AdminUserId == userId
                && r.SiteName.ToLower() == lowerSite && r.Component.ToLower() == lowerComponent, ctx.Cancellation))
            input.Problem($"You already asked to join {siteName} for {component!.Name}; a coordinator will decide.");
        if (!input.IsValid)
        {
            ctx.Fail(input.Problems, JoinUsage, "/join");
            return;
        }

        var request = new EngagementRequest
        {
            SiteName = site?.Name ?? siteName, AdminName = adminName, AdminEmail = email!, AdminUserId = userId,
            Component = component!.Name, Os = os, Arch = arch, State = RequestState.Pending,
            RequestedAt = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        // The request and its card for the coordinators commit together; the card's keys need the request's id.
        await using var tx = await db.Database.BeginTransactionAsync(ctx.Cancellation);
        db.EngagementRequests.Add(request);
        if (!await ctx.SaveAsync(db)) return;
        await ctx.Services.GetRequiredService<Outbox>().AddAsync(db, $"engagement:{request.Id}:requested",
            NoticeRecipient.Channel("operations"), EngagementCard.Message(request), EngagementCard.CardKey(request.Id), ctx.Cancellation);
        if (!await ctx.SaveAsync(db)) return;
        await tx.CommitAsync(ctx.Cancellation);
        ctx.Reply($"Thank you, {adminName}. Request **#{request.Id}** to join **{request.SiteName}** as Early Adopter of " +
            $"{Sites.Describe(request.Component, os, arch)} is with the coordinators (`/requests`). Once approved, your chat id ({userId}) is the site admin's.");
    }

    private static async Task ListAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        if (!ctx.Require(await ctx.CallerAsync(db), Role.Coordinator, "see the join requests")) return;
        var pending = (await db.EngagementRequests.AsNoTracking().Where(r => r.State == RequestState.Pending).ToListAsync(ctx.Cancellation))
            .OrderBy(r => r.Id).ToList();
        if (pending.Count == 0)
        {
            ctx.Reply("No pending requests.");
            return;
        }
        var text = new StringBuilder($"**Pending requests** ({pending.Count})\n");
        foreach (var r in pending)
        {
            text.Append($"- **#{r.Id}** {r.SiteName}: {r.AdminName}, {r.AdminEmail} ({r.AdminUserId}) for {Sites.Describe(r.Component, r.Os, r.Arch)}, " +
                $"asked {r.RequestedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n");
        }
        text.Append("Decide with `/approve req=N` or `/decline req=N reason=\"…\"`.");
        ctx.Reply(text.ToString());
    }

    private static async Task<EngagementRequest?> FindPendingAsync(CommandContext ctx, RolloutDb db, CommandInput input)
    {
        var id = input.Id("req", "the request number from `/requests`");
        if (id == 0) return null;
        var request = await db.EngagementRequests.FirstOrDefaultAsync(r => r.Id == id, ctx.Cancellation);
        if (request is null) input.Problem($"There is no request #{id}. `/requests` lists the pending ones.");
        else if (request.State != RequestState.Pending)
            input.Problem($"Request #{id} was already {request.State.ToString().ToLowerInvariant()} by {request.DecidedBy}.");
        return request is { State: RequestState.Pending } ? request : null;
    }

    private static async Task ApproveAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var caller = await ctx.CallerAsync(db);
        if (!ctx.Require(caller, Role.Coordinator, "approve a request")) return;
        var input = new CommandInput(ctx.Command, "req");
        var request = await FindPendingAsync(ctx, db, input);
        var component = request is null ? null : await ComponentCatalogue.FindAsync(db, request.Component, ctx.Cancellation);
        if (request is not null && component is not { RetiredAt: null })
            input.Problem($"**{request.Component}** has been retired since the request; decline it, or bring the component back first.");
        if (!input.IsValid)
        {
            ctx.Fail(input.Problems, ApproveUsage, "/approve");
            return;
        }

        var now = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var done = new List<string>();
        var site = await Sites.FindAsync(db, request!.SiteName, ctx.Cancellation);
        if (site is null)
        {
            site = new Site { Name = request.SiteName, Stack = component!.Stack, CreatedAt = now };
            db.Sites.Add(site);
            done.Add($"site **{site.Name}** added ({site.Stack})");
        }
        var isAdmin = site.Id != 0 && await db.SiteAdmins.AnyAsync(
            a => a.SiteId == site.Id && a.UserId == request.AdminUserId && a.RemovedAt == null, ctx.Cancellation);
        if (!isAdmin)
        {
            db.SiteAdmins.Add(new SiteAdmin { Site = site, UserId = request.AdminUserId, Name = request.AdminName, Email = request.AdminEmail, AddedAt = now });
            done.Add($"{request.AdminName} ({request.AdminUserId}) is an admin of it");
        }
        var committed = site.Id != 0 && (await CommitmentCommands.FindActiveAsync(db, site.Id, request.Component, ctx.Cancellation))
            .Any(c => Sites.SameTarget(c.Os, request.Os) && Sites.SameTarget(c.Arch, request.Arch));
        if (!committed)
        {
            db.Commitments.Add(new Commitment { Site = site, Component = component!.Name, Os = request.Os, Arch = request.Arch, CommittedAt = now });
            done.Add($"committed to {Sites.Describe(component.Name, request.Os, request.Arch)}");
        }
        request.State = RequestState.Approved;
        request.DecidedBy = caller.UserId;
        request.DecidedAt = now;
        await UpdateCardAsync(ctx, db, request);
        if (!await ctx.SaveAsync(db)) return;
        ctx.Reply($"Request #{request.Id} approved: {(done.Count == 0 ? "everything was already in place" : string.Join("; ", done))}.");
    }

    private static async Task DeclineAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var caller = await ctx.CallerAsync(db);
        if (!ctx.Require(caller, Role.Coordinator, "decline a request")) return;
        var input = new CommandInput(ctx.Command, "req", "reason");
        var request = await FindPendingAsync(ctx, db, input);
        var reason = input.Required("reason", "the reason the requester will read, in quotes");
        if (!input.IsValid)
        {
            ctx.Fail(input.Problems, DeclineUsage, "/decline");
            return;
        }

        request!.State = RequestState.Declined;
        request.DecidedBy = caller.UserId;
        request.DecidedAt = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        request.DeclineReason = reason;
        await UpdateCardAsync(ctx, db, request);
        if (!await ctx.SaveAsync(db)) return;
        ctx.Reply($"Request #{request.Id} ({request.SiteName}, {request.Component}) declined: {reason}");
    }

    /// <summary>The request's card shows the decision in place, without its buttons, in the same save as the decision.</summary>
    private static Task<int> UpdateCardAsync(CommandContext ctx, RolloutDb db, EngagementRequest request) =>
        ctx.Services.GetRequiredService<Outbox>().AddCardUpdateAsync(db, EngagementCard.CardKey(request.Id), EngagementCard.Message(request), ctx.Cancellation);
}
