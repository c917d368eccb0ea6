using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/accept #N [site=…]</c>: an early-adopter site takes part in the staged rollout (seed 002 §2.4 step 3.2).
/// The first acceptance moves the ticket to rolling-out; any number of sites may follow. A site not committed to
/// the component may still accept (§3.4 encourages it), with a note that it is not committed; a restricted release
/// is only for the sites committed to it.
/// </summary>
public static class Accept
{
    public static readonly IReadOnlyList<string> Usage = ["/accept #N [site=…]"];

    public static readonly CommandDefinition Definition = new(
        "accept", "Site admin", Usage, "your site takes part in the staged rollout", Writes: true, RunAsync);

    public static readonly CardVerbDefinition Card = new(ReleaseNoticeCard.AcceptVerb, "accept", ["site"], CardVerbDefinition.TicketNumber);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (s.RequireToUse(Role.SiteAdmin) is { } refused) return refused;
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage, "site") is { } unknown) return unknown;

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        // A restricted release is offered only to the sites committed to its component: no other site may take it.
        var candidates = await CommittedSites.EligibleAsync(s.Db, ticket, s.Caller.AdminOfSiteIds, s.Ct);
        var pick = await SitePicker.PickAsync(s, s.Command.Get("site"), candidates,
            ticket.IsRestricted ? $"None of your sites is committed to {ticket.Component}, and this restricted release is only for committed sites."
                : "You administer no site.", TicketCommand.Usage(Usage));
        if (pick.Site is not { } site) return pick.Refusal(ReleaseNoticeCard.AcceptVerb, ticket.Id);
        if (ticket.Participations.FirstOrDefault(p => p.SiteId == site.Id) is { } existing)
            return Reply.No($"{site.Name} already took part in {ticket.Number}: {existing.Status} " +
                $"(accepted by {existing.AcceptedByName} on {TicketCommand.When(existing.AcceptedAt)}). There is nothing more to accept" +
                (existing.IsOpen ? $": when done, report with Report on the card or `/report {ticket.Number}`." : "."));

        if (ticket.Accept(site.Id, site.Name, s.Actor, s.Now) is { } why) return Reply.No(why);

        var committed = await s.Db.Commitments.AnyAsync(
            c => c.SiteId == site.Id && c.Component.ToLower() == ticket.Component.ToLower() && c.EndedAt == null, s.Ct);
        var note = committed ? "" : $"\nNote: {site.Name} is not committed to {ticket.Component}; thank you for helping anyway.";
        var repo = ticket.RepositoryUrl is null ? "" : $" Packages: {ticket.RepositoryUrl}";
        return $"{site.Name} accepted {ticket.Number} ({ticket.Component} {ticket.Version}); the ticket is {ticket.State.ToName()}.{repo}" +
            $"\nWhen done, `/report {ticket.Number} outcome=success|warning|reject notes=\"…\"{ForSite(s, site)}`.{note}";
    }

    /// <summary>The site= an admin of several sites must add to the follow-up command; nothing for one site.</summary>
    private static string ForSite(CommandSession s, EarlyAdopters.Site site) =>
        s.Caller.AdminOfSiteIds.Count > 1 ? $" site={(site.Name.Contains(' ') ? $"\"{site.Name}\"" : site.Name)}" : "";
}
