using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/ask #N site=… [note="…"]</c>: a coordinator gives a named site a direct work order (seed 000) to take a verified
/// or rolling-out release, e.g. one that nobody accepted (§2.4 3.3). The site's admins get the release card with the
/// request; a restricted release may only be asked of a site committed to its component.
/// </summary>
public static class Ask
{
    public static readonly IReadOnlyList<string> Usage = ["/ask #N site=… [note=\"…\"]"];

    public static readonly CommandDefinition Definition = new(
        "ask", "Coordinator", Usage, "ask a named site to take a release", Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage, "site", "note") is { } unknown) return unknown;
        var siteName = s.Command.Get("site")?.Trim();
        if (string.IsNullOrEmpty(siteName)) return Reply.No($"Name the site to ask with site=…. {TicketCommand.Usage(Usage)}");
        var note = s.Command.Get("note")?.Trim() is { Length: > 0 } n ? n : null;

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        var site = await Sites.FindAsync(s.Db, siteName, s.Ct);
        if (site is null) return Reply.No($"There is no site '{siteName}'. `/sites` lists them.");
        if (ticket.IsRestricted && !await CommittedSites.IsCommittedAsync(s.Db, site.Id, ticket.Component, s.Ct))
            return Reply.No($"{ticket.Number} is restricted: it may only go to sites committed to {ticket.Component}, and {site.Name} is not. " +
                $"`/commit` the site first, or ask a committed one.");
        var admins = await TicketAudience.SiteAdminsAsync(s.Db, [site.Id], s.Ct);
        if (admins.Count == 0) return Reply.No($"{site.Name} has no admin to ask. Add one with `/site admin` first.");
        await s.Db.LoadDeclinesAsync(ticket, s.Ct);
        if (ticket.AskSite(site.Id, site.Name, note, s.Actor, s.Now) is { } why) return Reply.No(why);

        var declined = ticket.Declines.FirstOrDefault(d => d.SiteId == site.Id);
        return $"{site.Name} is asked to take {ticket.Number} {ticket.Component} {ticket.Version}; its admins ({string.Join(", ", admins)}) have the release card." +
            (declined is null ? "" : $" Note: {site.Name} said not this time on {TicketCommand.When(declined.DeclinedAt)}: {declined.Reason}");
    }
}
