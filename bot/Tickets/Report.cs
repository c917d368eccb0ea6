using System.Globalization;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary><c>/report #N outcome=… [hours=…] [bugs=…] notes="…"</c>: a site's staged rollout is done (seed 002 §2.4 step 3.6).</summary>
public static class Report
{
    public static readonly IReadOnlyList<string> Usage =
        ["/report #N outcome=success|warning|reject [hours=…] [bugs=URL,URL] notes=\"…\" [site=…]"];

    public static CommandDefinition Definition => TicketCommand.Define(
        "report", "Site admin", Usage, "your site's staged rollout is done: outcome and report", writes: true,
        (ctx, s) => RunAsync(ctx.Command, s, ctx.Cancellation));

    /// <summary>The command itself, also run by the notice card's button with the same checks.</summary>
    public static async Task<Reply> RunAsync(ParsedCommand command, TicketSession s, CancellationToken ct)
    {
        if (!s.Caller.Has(Role.SiteAdmin)) return TicketCommand.NotAllowed("report", "site admins of early-adopter sites");
        if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, Usage, "outcome", "hours", "bugs", "notes", "site") is { } unknown) return unknown;

        var problems = new List<string>();
        Outcome outcome = default;
        if (command.Get("outcome") is not { } outcomeText) problems.Add("outcome= is missing: success, warning or reject");
        else if (!TicketNames.TryParse(outcomeText, out outcome)) problems.Add($"unknown outcome '{outcomeText}': use success, warning or reject");
        double? hours = null;
        if (command.Get("hours") is { } hoursText)
        {
            if (double.TryParse(hoursText, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && h >= 0 && double.IsFinite(h)) hours = h;
            else problems.Add($"hours= must be a number of hours such as 3 or 2.5, not '{hoursText}'");
        }
        var bugs = TicketCommand.UrlList("bugs", command.Get("bugs"), problems);
        var notes = command.Get("notes")?.Trim();
        if (string.IsNullOrEmpty(notes)) problems.Add("notes= is missing: what you did and found, in quotes");
        if (problems.Count > 0) return $"I could not record the report:\n- {string.Join("\n- ", problems)}\n\n{TicketCommand.Usage(Usage)}";

        var ticket = await s.FindAsync(number, ct);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        var open = ticket.Participations.Where(p => p.IsOpen && s.Caller.IsAdminOf(p.SiteId)).Select(p => p.SiteId).ToList();
        var pick = await SitePicker.PickAsync(s, command.Get("site"), open,
            $"None of your sites has an open part in {ticket.Number}: `/accept {ticket.Number}` first.", TicketCommand.Usage(Usage), ct);
        if (pick.Site is not { } site)
        {
            return pick.Refusal(ReleaseNoticeCard.ReportVerb, ticket.Id, new Dictionary<string, string?>
            {
                ["outcome"] = command.Get("outcome"), ["hours"] = command.Get("hours"), ["bugs"] = command.Get("bugs"), ["notes"] = notes,
            });
        }
        if (ticket.Fire(TicketTrigger.Report, ticket.Facts(), s.Caller, s.Now) is { } refused) return $"{ticket.Number}: {refused}";

        var part = ticket.Participations.Single(p => p.SiteId == site.Id);
        part.DoneAt = s.Now;
        part.Outcome = outcome;
        part.Report = notes;
        part.Hours = hours;
        part.BugUrls = bugs;
        ticket.Record(s.Caller, s.Now, $"site {site.Name} done", "accepted", $"done ({outcome.ToName()})", notes);
        await s.Db.SaveChangesAsync(ct);
        var waiting = ticket.Participations.Count(p => p.IsOpen);
        return $"{site.Name}'s report on {ticket.Number} is recorded: {outcome.ToName()}." +
            (waiting == 0 ? " Every accepted site is done; a coordinator can now `/close` it." : $" Still waiting for {waiting} site(s).");
    }
}
