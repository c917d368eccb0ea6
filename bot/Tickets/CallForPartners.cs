using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/call #N [note="…"]</c>: seed 002 §2.4 3.3, a release nobody took: the coordinators call for new partners. The
/// call goes to the admins of the stack's sites that were not nagged (not committed to the component on its platform),
/// not taking part and not having passed; §3.4 encourages early adopters to take other components. The escalation
/// offers it as a button. A restricted release is never offered beyond its committed sites.
/// </summary>
public static class CallForPartners
{
    public const string Verb = "ticket.call";
    public static readonly IReadOnlyList<string> Usage = ["/call #N [note=\"…\"]"];

    public static readonly CommandDefinition Definition = new(
        "call", "Coordinator", Usage, "call for partners: offer a release nobody took to the sites not committed to it", Writes: true, RunAsync);

    public static readonly CardVerbDefinition Card = new(Verb, "call", ["note"], CardVerbDefinition.TicketNumber);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage, "note") is { } unknown) return unknown;
        var note = s.Command.Get("note")?.Trim() is { Length: > 0 } n ? n : null;

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        await s.Db.LoadDeclinesAsync(ticket, s.Ct);
        var sites = await CandidatesAsync(s, ticket);
        if (sites.Count == 0 && !ticket.IsRestricted && ticket.TakesSites && ticket.HasNoPartner)
            return Reply.No($"No other {ticket.Stack} site with an admin is left to call for {ticket.Number}: every one is committed, " +
                "taking part or has passed. Publish the vacancy (`/vacancies`) or `/ask` a site of another stack.");
        if (ticket.CallForPartners(sites, note, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"Call for partners on {ticket.Number} {ticket.Component} {ticket.Version}: sent to the admins of {string.Join(", ", sites)}.";
    }

    /// <summary>The stack's sites with an admin, not committed to the release, not taking part, not having passed.</summary>
    private static async Task<List<string>> CandidatesAsync(CommandSession s, Ticket ticket)
    {
        var excluded = (await CommittedSites.ForReleaseAsync(s.Db, ticket, s.Ct)).Select(x => x.Id)
            .Concat(ticket.Participations.Select(p => p.SiteId)).Concat(ticket.Declines.Select(d => d.SiteId)).ToList();
        var stack = ticket.Stack;
        return await s.Db.Sites.AsNoTracking()
            .Where(x => x.Stack == stack && !excluded.Contains(x.Id) && s.Db.SiteAdmins.Any(a => a.SiteId == x.Id && a.RemovedAt == null))
            .OrderBy(x => x.Name).Select(x => x.Name).ToListAsync(s.Ct);
    }
}
