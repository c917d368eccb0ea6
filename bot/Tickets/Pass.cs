using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/pass #N [site=…] reason="…"</c> and the card's "Not this time": a site says it will not take this release. The
/// acceptance nags leave the site alone for it, the escalation gives its reason, the metrics count it apart from
/// silence, and the coordinators hear of it (and of every committed site having passed). It may still accept later.
/// </summary>
public static class Pass
{
    public const string Verb = "ticket.pass";
    public static readonly IReadOnlyList<string> Usage = ["/pass #N reason=\"…\" [site=…]"];

    public static readonly CommandDefinition Definition = new(
        "pass", "Site admin", Usage, "not this time: your site will not take this release", Writes: true, RunAsync);

    public static readonly CardVerbDefinition Card = new(Verb, "pass", ["site", "reason"], CardVerbDefinition.TicketNumber);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (s.RequireToUse(Role.SiteAdmin) is { } refused) return refused;
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage, "site", "reason") is { } unknown) return unknown;
        var reason = s.Command.Get("reason")?.Trim();
        if (string.IsNullOrEmpty(reason))
            return Reply.No($"Say why with reason=\"…\" (a downtime, no such service, no effort this week): the coordinators read it. {TicketCommand.Usage(Usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        await s.Db.LoadDeclinesAsync(ticket, s.Ct);
        var taking = ticket.Participations.Select(p => p.SiteId).ToHashSet();
        var candidates = (await CommittedSites.EligibleAsync(s.Db, ticket, s.Caller.AdminOfSiteIds, s.Ct)).Where(id => !taking.Contains(id)).ToList();
        var pick = await SitePicker.PickAsync(s, s.Command.Get("site"), candidates,
            $"All your sites already take part in {ticket.Number}; a coordinator can `/withdraw` one.", TicketCommand.Usage(Usage));
        if (pick.Site is not { } site) return pick.Refusal(Verb, ticket.Id, new Dictionary<string, string?> { ["reason"] = reason });
        if (ticket.DeclineSite(site.Id, site.Name, reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{site.Name} passes on {ticket.Number} this time; the nags leave it alone and the coordinators are told. " +
            $"Changed your mind? `/accept {ticket.Number}` still works.";
    }
}
