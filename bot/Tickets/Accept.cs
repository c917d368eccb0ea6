using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/accept #N [site=…]</c>: an early-adopter site takes part in the staged rollout (seed 002 §2.4 step 3.2).
/// The first acceptance moves the ticket to rolling-out; any number of sites may follow. A site not committed to
/// the component may still accept (§3.4 encourages it), with a note that it is not committed.
/// </summary>
public static class Accept
{
    public static readonly IReadOnlyList<string> Usage = ["/accept #N [site=…]"];

    public static CommandDefinition Definition => TicketCommand.Define(
        "accept", "Site admin", Usage, "your site takes part in the staged rollout", writes: true,
        (ctx, s) => RunAsync(ctx.Command, s, ctx.Cancellation));

    /// <summary>The command itself, also run by the notice card's button with the same checks.</summary>
    public static async Task<Reply> RunAsync(ParsedCommand command, TicketSession s, CancellationToken ct)
    {
        if (!s.Caller.Has(Role.SiteAdmin)) return TicketCommand.NotAllowed("accept", "site admins of early-adopter sites");
        if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, Usage, "site") is { } unknown) return unknown;

        var ticket = await s.FindAsync(number, ct);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        var pick = await SitePicker.PickAsync(s, command.Get("site"), s.Caller.AdminOfSiteIds.ToList(),
            "You administer no site.", TicketCommand.Usage(Usage), ct);
        if (pick.Site is not { } site) return pick.Refusal(ReleaseNoticeCard.AcceptVerb, ticket.Id);
        if (ticket.Participations.FirstOrDefault(p => p.SiteId == site.Id) is { } existing)
            return $"{site.Name} already took part in {ticket.Number}: {existing.Status} " +
                $"(accepted by {existing.AcceptedByName} on {TicketCommand.When(existing.AcceptedAt)}).";

        if (ticket.Fire(TicketTrigger.Accept, ticket.Facts(), s.Caller, s.Now) is { } refused)
            return $"{ticket.Number}: {refused}";
        ticket.Participations.Add(new Participation
        {
            SiteId = site.Id, SiteName = site.Name, AcceptedBy = s.Caller.UserId, AcceptedByName = s.Caller.Name, AcceptedAt = s.Now,
        });
        ticket.Record(s.Caller, s.Now, "site accepted", null, site.Name);
        await s.Db.SaveChangesAsync(ct);

        var committed = await s.Db.Commitments.AnyAsync(
            c => c.SiteId == site.Id && c.Component.ToLower() == ticket.Component.ToLower() && c.EndedAt == null, ct);
        var note = committed ? "" : $"\nNote: {site.Name} is not committed to {ticket.Component}; thank you for helping anyway.";
        var repo = ticket.RepositoryUrl is null ? "" : $" Packages: {ticket.RepositoryUrl}";
        return $"{site.Name} accepted {ticket.Number} ({ticket.Component} {ticket.Version}); the ticket is {ticket.State.ToName()}.{repo}" +
            $"\nWhen done, `/report {ticket.Number} outcome=success|warning|reject notes=\"…\"{ForSite(s, site)}`.{note}";
    }

    /// <summary>The site= an admin of several sites must add to the follow-up command; nothing for one site.</summary>
    private static string ForSite(TicketSession s, EarlyAdopters.Site site) =>
        s.Caller.AdminOfSiteIds.Count > 1 ? $" site={(site.Name.Contains(' ') ? $"\"{site.Name}\"" : site.Name)}" : "";
}
