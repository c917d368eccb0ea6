using System.Globalization;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary><c>/report #N outcome=… [hours=…] [bugs=…] notes="…"</c>: a site's staged rollout is done (seed 002 §2.4 step 3.6).</summary>
public static class Report
{
    public static readonly IReadOnlyList<string> Usage =
        ["/report #N outcome=success|warning|reject [hours=…] [bugs=URL,URL] notes=\"…\" [site=…]"];

    /// <summary>Every input the report form emits, and the site a choice card adds.</summary>
    public static readonly IReadOnlyList<string> Fields = ["outcome", "hours", "bugs", "notes", "site"];

    public static readonly CommandDefinition Definition = new(
        "report", "Site admin", Usage, "your site's staged rollout is done: outcome and report", Writes: true, RunAsync);

    public static readonly CardVerbDefinition Card = new(ReleaseNoticeCard.ReportVerb, "report", Fields, CardVerbDefinition.TicketNumber);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.SiteAdmin) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, Usage, [.. Fields]) is { } unknown) return unknown;

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
        if (problems.Count > 0) return Reply.No($"I could not record the report:\n- {string.Join("\n- ", problems)}\n\n{TicketCommand.Usage(Usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        var open = ticket.Participations.Where(p => p.IsOpen && s.Caller.IsAdminOf(p.SiteId)).Select(p => p.SiteId).ToList();
        var pick = await SitePicker.PickAsync(s, command.Get("site"), open,
            $"None of your sites has an open part in {ticket.Number}: `/accept {ticket.Number}` first.", TicketCommand.Usage(Usage));
        if (pick.Site is not { } site)
        {
            return pick.Refusal(ReleaseNoticeCard.ReportVerb, ticket.Id, new Dictionary<string, string?>
            {
                ["outcome"] = command.Get("outcome"), ["hours"] = command.Get("hours"), ["bugs"] = command.Get("bugs"), ["notes"] = notes,
            });
        }
        var part = ticket.Participations.Single(p => p.SiteId == site.Id);
        if (ticket.Report(part, outcome, notes!, hours, bugs, s.Actor, s.Now) is { } why) return Reply.No(why);
        var waiting = ticket.Participations.Count(p => p.IsOpen);
        return $"{site.Name}'s report on {ticket.Number} is recorded: {outcome.ToName()}." +
            (waiting == 0 ? " Every accepted site is done; a coordinator can now `/close` it." : $" Still waiting for {waiting} site(s).");
    }
}
