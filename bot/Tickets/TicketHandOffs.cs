using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Seed 002 §2.4: whoever acts next is told it is their turn, as reactions to the ticket's changes. Opening tells the
/// repository managers (1.3); the pull tells the technology unit (1.5); verification tells the staged-rollout group,
/// the coordinators' operations room, at once (2.4); a close to production tells the repository managers to move the
/// packages (3.9); a site's problem and the last site done tell the coordinators (3.5, 3.7). People holding a role
/// are told in their own chat, and only when they may see the ticket; when nobody holds the role, the operations room
/// hears that the step has nobody to do it. The operations room never reads a restricted release's name.
/// </summary>
public sealed class TicketHandOffs(Outbox outbox, TicketAudience audience, WorkingCalendars calendars)
{
    public static IServiceCollection AddHandOffs(IServiceCollection services)
    {
        services.AddSingleton<TicketAudience>();
        services.AddSingleton<TicketHandOffs>();
        services.AddReaction<Ticket, TicketOpened>("hand-offs: the repository managers pull a new release", sp => sp.Get<TicketHandOffs>().OnOpenedAsync);
        services.AddReaction<Ticket, StateMoved>("hand-offs: each step tells whoever acts next", sp => sp.Get<TicketHandOffs>().OnMovedAsync);
        services.AddReaction<Ticket, SiteReported>("hand-offs: a site's problem reaches the coordinators", sp => sp.Get<TicketHandOffs>().OnReportedAsync);
        services.AddReactionToAll<Ticket, TicketChange>("hand-offs: the coordinators hear a ticket is ready to close", sp => sp.Get<TicketHandOffs>().OnSitesDoneAsync);
        return services;
    }

    private async Task OnOpenedAsync(ReactionContext ctx, Ticket ticket, TicketOpened _)
    {
        var due = ticket.Type.Timeline().Due(TimelineStep.Repository, ctx.Now, await calendars.ForChannelAsync(ctx.Db, ctx.Ct));
        await ToRoleAsync(ctx, ticket, Role.Repository, "opened",
            $"{Full(ticket)} was opened by {ctx.By.Name} and waits for the repository managers: pull its packages into the " +
            $"unverified repository, check the checksums, then `/unverified {ticket.Number}` (or `/unverified {ticket.Number} failed reason=\"…\"`). " +
            $"Table 3 target: {TicketCommand.When(due)}.{Embargo(ticket)}",
            "pull its packages");
    }

    private async Task OnMovedAsync(ReactionContext ctx, Ticket ticket, StateMoved move)
    {
        switch (move.To)
        {
            case TicketState.Unverified:
                var due = ticket.Type.Timeline().Due(TimelineStep.Verification, ctx.Now, await calendars.ForChannelAsync(ctx.Db, ctx.Ct));
                await ToRoleAsync(ctx, ticket, Role.TechnologyUnit, "unverified",
                    $"{Full(ticket)}: {ctx.By.Name} pulled the packages into the unverified repository; it waits for the technology unit " +
                    $"to verify it: `/verify {ticket.Number} repo=URL` with the staged-rollout repository, or `/reject {ticket.Number} reason=\"…\"`. " +
                    $"Table 3 target: {TicketCommand.When(due)}.{Embargo(ticket)}",
                    "verify it");
                break;
            case TicketState.Verified:
                var acceptBy = ticket.Type.Timeline().AcceptanceDue(ctx.Now, await calendars.ForChannelAsync(ctx.Db, ctx.Ct));
                var who = ticket.IsRestricted ? "the admins of the sites committed to its component were told directly"
                    : $"the release card went to the {ticket.Stack} early adopters";
                await ToOperationsAsync(ctx, ticket, "verified",
                    $"{TicketTimerRules.Describe(ticket)} is verified by {ctx.By.Name} and ready for staged rollout: {who}. " +
                    $"A site should accept it by {TicketCommand.When(acceptBy)}; `/ask {ticket.Number} site=…` to send it to a site.");
                break;
            case TicketState.Closed when ticket.GoesToProduction:
                await ToRoleAsync(ctx, ticket, Role.Repository, "to-production",
                    $"{Full(ticket)} is closed with {ticket.Outcome!.Value.ToName()}: move its packages from the staged-rollout repository " +
                    $"{ticket.RepositoryUrl} to production, then `/production {ticket.Number} repo=URL` so that the broadcast points sites there." +
                    Embargo(ticket),
                    "move its packages to production");
                break;
        }
    }

    /// <summary>§2.4 3.5: a problem is the coordinators' business too, not only the provider's.</summary>
    private Task OnReportedAsync(ReactionContext ctx, Ticket ticket, SiteReported report) =>
        report.Outcome == Outcome.Success ? Task.CompletedTask : ToOperationsAsync(ctx, ticket, $"problem:{report.SiteId}",
            ticket.IsRestricted
                ? $"{TicketTimerRules.Describe(ticket)}: a site reported {report.Outcome.ToName()}; see `/ticket {ticket.Number}`."
                : $"{TicketTimerRules.Describe(ticket)}: {Cards.CardText.Escape(report.Site)} reported {report.Outcome.ToName()}: {Cards.CardText.Escape(report.Notes)}");

    /// <summary>§2.4 3.7: once the last site taking part is done (or withdrawn), the ticket waits for a coordinator.</summary>
    private async Task OnSitesDoneAsync(ReactionContext ctx, Ticket ticket, IReadOnlyList<TicketChange> changes)
    {
        if (!changes.Any(c => c is SiteReported or SiteWithdrawn) || ticket.State != TicketState.RollingOut || ticket.Participations.Any(p => p.IsOpen))
            return;
        var done = ticket.Participations.Where(p => p.DoneAt is not null).ToList();
        var round = ticket.Participations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (done.Count == 0)
        {
            await ToOperationsAsync(ctx, ticket, $"no-site-left:{round}",
                $"{TicketTimerRules.Describe(ticket)}: every site that accepted it was withdrawn and none reported. " +
                $"`/ask {ticket.Number} site=…`, `/call {ticket.Number}` for partners, or `/close {ticket.Number} outcome=reject summary=\"…\"`.");
            return;
        }
        var outcomes = ticket.IsRestricted ? $"{done.Count} report(s)"
            : string.Join(", ", done.Select(p => $"{p.SiteName}: {p.Outcome!.Value.ToName()}"));
        await ToOperationsAsync(ctx, ticket, $"ready-to-close:{round}",
            $"{TicketTimerRules.Describe(ticket)} is ready to close: every accepted site is done ({outcomes}). " +
            $"`/close {ticket.Number} outcome=success|warning|reject summary=\"…\"`.");
    }

    /// <summary>The people holding <paramref name="role"/> who may see the ticket; the operations room when there is none.</summary>
    private async Task ToRoleAsync(ReactionContext ctx, Ticket ticket, Role role, string step, string text, string todo)
    {
        var key = $"ticket:{ticket.Id}:hand-off:{step}";
        var holders = await TicketAudience.HoldersAsync(ctx.Db, role, ctx.Ct);
        var told = await audience.EntitledAsync(ctx.Db, ticket, holders, ctx.Ct);
        foreach (var person in told)
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.User(person), text, ctx.Ct);
        if (told.Count == 0)
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.Channel(NoticePurposes.Operations),
                $"{TicketTimerRules.Describe(ticket)} waits for {Refusals.Who(role)} to {todo}, and nobody holds the {role.ToName()} role. " +
                $"`/role grant user=… role={role.ToName()}` to give it to someone.", ctx.Ct);
    }

    private Task ToOperationsAsync(ReactionContext ctx, Ticket ticket, string what, string text) =>
        outbox.AddAsync(ctx.Db, $"ticket:{ticket.Id}:hand-off:{what}", NoticeRecipient.Channel(NoticePurposes.Operations), text, ctx.Ct);

    /// <summary>For a person entitled to see it: the release in full.</summary>
    private static string Full(Ticket t) => $"{t.Number} {t.Component} {t.Version} ({t.Type.ToName()}, {t.Stack})";

    private static string Embargo(Ticket t) => t.IsRestricted ? " Restricted (security): do not share it until the coordinators disclose it." : "";
}
