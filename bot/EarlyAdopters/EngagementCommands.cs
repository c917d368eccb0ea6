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
    private static readonly string[] JoinUsage = ["/join site=… name=\"…\" email=… component=… [os=… arch=…] [level=silver|gold|platinum]"];
    private static readonly string[] ApproveUsage = ["/approve req=N"];
    private static readonly string[] DeclineUsage = ["/decline req=N reason=\"…\""];

    public static CommandDefinition Join(Outbox outbox) => new("join", "Everyone", JoinUsage,
        "ask to become an Early Adopter of a component (coordinators decide)", Writes: true, s => JoinAsync(s, outbox));

    public static readonly CommandDefinition Requests = new("requests", "Coordinator", ["/requests"],
        "pending requests to join as Early Adopter", Writes: false, ListAsync);

    public static CommandDefinition Approve(Outbox outbox) => new("approve", "Coordinator", ApproveUsage,
        "approve a request: adds the site if new, the admin and the commitment", Writes: true, s => ApproveAsync(s, outbox));

    public static CommandDefinition Decline(Outbox outbox) => new("decline", "Coordinator", DeclineUsage,
        "decline a request, saying why", Writes: true, s => DeclineAsync(s, outbox));

    private static async Task<Reply> JoinAsync(CommandSession s, Outbox outbox)
    {
        var db = s.Db;
        var ct = s.Ct;
        var input = new CommandInput(s.Command, "site", "name", "email", "component", "os", "arch", "level");
        var siteName = input.Required("site", "your site's name");
        var adminName = input.Required("name", "your name, in quotes if it has spaces");
        var email = input.Email("email", required: true);
        var componentName = input.Required("component", "the component, see `/components`");
        var (os, arch) = (input.Optional("os"), input.Optional("arch"));
        PartnerLevel? level = null;
        if (input.Optional("level") is { } levelText)
        {
            if (Sites.TryParseLevel(levelText, out var parsed)) level = parsed;
            else input.Problem($"`level={levelText}` is not a pilot partner level: {Sites.Levels}.");
        }
        var component = componentName.Length > 0 ? await ComponentCatalogue.FindAsync(db, componentName, ct) : null;
        if (componentName.Length > 0 && component is not { RetiredAt: null })
            input.Problem($"**{Cards.CardText.Escape(componentName)}** is not in the component catalogue. " +
                $"{ComponentCatalogue.DidYouMean(await ComponentCatalogue.SimilarAsync(db, componentName, ct))}" +
                "`/components` lists them, `/vacancies` those that need a site.");
        var site = siteName.Length > 0 ? await Sites.FindAsync(db, siteName, ct) : null;
        if (site is null && siteName.Length > 0 && Sites.NameProblem(siteName) is { } badName) input.Problem($"`site=`: {badName}.");
        if (site is not null && component is not null
            && (await CommitmentCommands.FindActiveAsync(db, site.Id, component.Name, ct))
                .Any(c => Sites.SameTarget(c.Os, os) && Sites.SameTarget(c.Arch, arch)))
            input.Problem($"**{site.Name}** is already committed to {Sites.Describe(component.Name, os, arch)}.");
        var userId = s.Caller.UserId;
        var lowerSite = siteName.ToLowerInvariant();
        var lowerComponent = componentName.ToLowerInvariant();
        if (input.IsValid && await db.EngagementRequests.AnyAsync(r => r.State == RequestState.Pending && r.AdminUserId == userId
                && r.SiteName.ToLower() == lowerSite && r.Component.ToLower() == lowerComponent, ct))
            input.Problem($"You already asked to join {siteName} for {component!.Name}; a coordinator will decide.");
        if (!input.IsValid) return input.Refusal(JoinUsage, "/join");

        var request = new EngagementRequest
        {
            SiteName = site?.Name ?? siteName, AdminName = adminName, AdminEmail = email!, AdminUserId = userId,
            Component = component!.Name, Os = os, Arch = arch, Level = level, State = RequestState.Pending, RequestedAt = s.Now,
        };
        // Saved first: the card's keys need the request's id. The request and its card commit together.
        db.EngagementRequests.Add(request);
        await db.SaveChangesAsync(ct);
        await outbox.AddAsync(db, $"engagement:{request.Id}:requested",
            NoticeRecipient.Channel(NoticePurposes.Operations), EngagementCard.Message(request), EngagementCard.CardKey(request.Id), ct);
        return $"Thank you, {Cards.CardText.Escape(adminName)}. Request **#{request.Id}** to join **{Cards.CardText.Escape(request.SiteName)}** as Early Adopter of " +
            $"{EngagementCard.Target(request)}{(level is null ? "" : $" and {level.Value.ToString().ToLowerInvariant()} pilot partner")} is with the coordinators (`/requests`). Once approved, your chat id ({userId}) is the site admin's.";
    }

    private static async Task<Reply> ListAsync(CommandSession s)
    {
        if (s.Require(Role.Coordinator, "see the join requests") is { } refused) return refused;
        var pending = (await s.Db.EngagementRequests.AsNoTracking().Where(r => r.State == RequestState.Pending).ToListAsync(s.Ct))
            .OrderBy(r => r.Id).ToList();
        if (pending.Count == 0) return "No pending requests.";
        var text = new StringBuilder($"**Pending requests** ({pending.Count})\n");
        foreach (var r in pending)
        {
            text.Append($"- **#{r.Id}** {Cards.CardText.Escape(r.SiteName)}: {Cards.CardText.Escape(r.AdminName)}, {Cards.CardText.Escape(r.AdminEmail)} ({Cards.CardText.Escape(r.AdminUserId)}) for {EngagementCard.Target(r)}{(r.Level is { } l ? $" ({l.ToString().ToLowerInvariant()} partner)" : "")}, " +
                $"asked {r.RequestedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC\n");
        }
        text.Append("Decide with `/approve req=N` or `/decline req=N reason=\"…\"`.");
        return text.ToString();
    }

    private static async Task<EngagementRequest?> FindPendingAsync(CommandSession s, CommandInput input)
    {
        var id = input.Id("req", "the request number from `/requests`");
        if (id == 0) return null;
        var request = await s.Db.EngagementRequests.FirstOrDefaultAsync(r => r.Id == id, s.Ct);
        if (request is null) input.Problem($"There is no request #{id}. `/requests` lists the pending ones.");
        else if (request.State != RequestState.Pending)
            input.Problem($"Request #{id} was already {request.State.ToString().ToLowerInvariant()} by {request.DecidedByName ?? request.DecidedBy}.");
        return request is { State: RequestState.Pending } ? request : null;
    }

    private static async Task<Reply> ApproveAsync(CommandSession s, Outbox outbox)
    {
        if (s.Require(Role.Coordinator, "approve a request") is { } refused) return refused;
        var db = s.Db;
        var ct = s.Ct;
        var input = new CommandInput(s.Command, "req");
        var request = await FindPendingAsync(s, input);
        var component = request is null ? null : await ComponentCatalogue.FindAsync(db, request.Component, ct);
        if (request is not null && component is not { RetiredAt: null })
            input.Problem($"**{request.Component}** has been retired since the request; decline it, or bring the component back first.");
        if (!input.IsValid) return input.Refusal(ApproveUsage, "/approve");

        var now = s.Now;
        var done = new List<string>();
        var site = await Sites.FindAsync(db, request!.SiteName, ct);
        if (site is null)
        {
            site = new Site { Name = request.SiteName, Stack = component!.Stack, CreatedAt = now };
            db.Sites.Add(site);
            done.Add($"site **{site.Name}** added ({site.Stack})");
        }
        var isAdmin = site.Id != 0 && await db.SiteAdmins.AnyAsync(
            a => a.SiteId == site.Id && a.UserId == request.AdminUserId && a.RemovedAt == null, ct);
        if (!isAdmin)
        {
            db.SiteAdmins.Add(new SiteAdmin { Site = site, UserId = request.AdminUserId, Name = request.AdminName, Email = request.AdminEmail, AddedAt = now });
            done.Add($"{request.AdminName} ({request.AdminUserId}) is an admin of it");
        }
        var committed = site.Id != 0 && (await CommitmentCommands.FindActiveAsync(db, site.Id, request.Component, ct))
            .Any(c => Sites.SameTarget(c.Os, request.Os) && Sites.SameTarget(c.Arch, request.Arch));
        if (!committed)
        {
            db.Commitments.Add(new Commitment { Site = site, Component = component!.Name, Os = request.Os, Arch = request.Arch, CommittedAt = now });
            done.Add($"committed to {Sites.Describe(component.Name, request.Os, request.Arch)}");
        }
        if (request.Level is { } level
            && await Pilots.PartnerCommands.RegisterFromJoinAsync(db, site, level, s.Actor, now, ct) is { } registered)
            done.Add(registered);
        foreach (var line in done) RegistryLog.Record(db, site, s.Actor, now, $"join request #{request.Id} approved", to: line);
        request.State = RequestState.Approved;
        request.DecidedBy = s.Caller.UserId;
        request.DecidedByName = s.Caller.Name;
        request.DecidedAt = now;
        await UpdateCardAsync(s, outbox, request);
        await TellRequesterAsync(s, outbox, request,
            $"Your request #{request.Id} to join **{request.SiteName}** as Early Adopter of {Sites.Describe(request.Component, request.Os, request.Arch)} " +
            $"was approved by {s.Caller.Name}. You are an admin of {request.SiteName}: releases of {request.Component} come to you for staged rollout " +
            "(`/accept #N` when one does), and `/tickets mine` lists yours.");
        return $"Request #{request.Id} approved: {(done.Count == 0 ? "everything was already in place" : string.Join("; ", done))}.";
    }

    private static async Task<Reply> DeclineAsync(CommandSession s, Outbox outbox)
    {
        if (s.Require(Role.Coordinator, "decline a request") is { } refused) return refused;
        var input = new CommandInput(s.Command, "req", "reason");
        var request = await FindPendingAsync(s, input);
        var reason = input.Required("reason", "the reason the requester will read, in quotes");
        if (!input.IsValid) return input.Refusal(DeclineUsage, "/decline");

        request!.State = RequestState.Declined;
        request.DecidedBy = s.Caller.UserId;
        request.DecidedByName = s.Caller.Name;
        request.DecidedAt = s.Now;
        request.DeclineReason = reason;
        await UpdateCardAsync(s, outbox, request);
        await TellRequesterAsync(s, outbox, request,
            $"Your request #{request.Id} to join **{request.SiteName}** as Early Adopter of {Sites.Describe(request.Component, request.Os, request.Arch)} " +
            $"was declined by {s.Caller.Name}: {reason}. You can ask again with `/join` once that is resolved.");
        return $"Request #{request.Id} ({request.SiteName}, {request.Component}) declined: {reason}";
    }

    /// <summary>The requester reads the decision in their own chat, in the same save as the decision.</summary>
    private static Task<bool> TellRequesterAsync(CommandSession s, Outbox outbox, EngagementRequest request, string text) =>
        outbox.AddAsync(s.Db, $"engagement:{request.Id}:{request.State.ToString().ToLowerInvariant()}", NoticeRecipient.User(request.AdminUserId), text, s.Ct);

    /// <summary>The request's card shows the decision in place, without its buttons, in the same save as the decision.</summary>
    private static Task<int> UpdateCardAsync(CommandSession s, Outbox outbox, EngagementRequest request) =>
        outbox.AddCardUpdateAsync(s.Db, EngagementCard.CardKey(request.Id), EngagementCard.Message(request), s.Ct);
}
