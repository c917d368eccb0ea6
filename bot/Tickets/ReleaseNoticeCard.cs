using System.Globalization;
using Rollout.Bot.Cards;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The release notice of seed 002 §2.4 step 3: what to install, where from, by when to accept, and the Accept and
/// Report buttons. One card per ticket (card key <c>ticket:N</c>), rebuilt from the ticket on every change so each
/// posted copy shows who accepted, who is done and who passed, where the packages are in production, a warning's known
/// issues, and loses the buttons that no longer apply.
/// </summary>
public static class ReleaseNoticeCard
{
    public const string AcceptVerb = "ticket.accept";
    public const string ReportVerb = "ticket.report";

    public static string CardKey(long ticketId) => $"ticket:{ticketId}";

    public static AdaptiveCard Build(Ticket ticket, ReleaseCardFacts facts)
    {
        var body = new List<CardElement>();
        // First, before anything is read or forwarded.
        if (ticket.IsRestricted)
            body.Add(new TextBlock("Restricted (security): do not share until the coordinators disclose it.", Weight: "Bolder", Color: "Attention"));
        if (ticket.State == TicketState.Cancelled)
            body.Add(new TextBlock("Cancelled: do not install this release; `/ticket` says why.", Weight: "Bolder", Color: "Attention"));
        body.Add(new TextBlock(Title(ticket), Size: "Medium", Weight: "Bolder"));
        body.Add(new FactSet(Facts(ticket, facts)));
        var links = Links(ticket).ToList();
        if (links.Count > 0) body.Add(new TextBlock(string.Join(" · ", links)));
        if (facts.Sites.Count > 0)
        {
            body.Add(new TextBlock("Sites", Weight: "Bolder"));
            body.Add(new TextBlock(string.Join("\n", facts.Sites.Select(s => $"- {s.Site}: {s.Standing}"))));
        }
        return new AdaptiveCard(body, Actions(ticket, facts)) { FallbackText = Title(ticket) };
    }

    public static BotMessage Message(Ticket ticket, ReleaseCardFacts facts) => BotMessage.CardAlone(Build(ticket, facts).ToJson(), Title(ticket));

    private static string Title(Ticket ticket) => $"{ticket.Number} {ticket.Component} {ticket.Version}: {Headline(ticket)}";

    /// <summary>Where the release stands, in plain words (the title says it; no row repeats it).</summary>
    private static string Headline(Ticket ticket) => ticket.State switch
    {
        TicketState.Verified => "ready for staged rollout",
        TicketState.RollingOut => "in staged rollout",
        TicketState.Closed => ticket.Outcome switch
        {
            Outcome.Success => "staged rollout closed, released",
            Outcome.Warning => "staged rollout closed, released with warnings",
            Outcome.Reject => "staged rollout closed, not released",
            _ => "staged rollout closed",
        },
        TicketState.Rejected => "rejected",
        TicketState.Cancelled => "cancelled",
        _ => ticket.State.ToName(),
    };

    private static List<Fact> Facts(Ticket ticket, ReleaseCardFacts facts)
    {
        var list = new List<Fact>
        {
            new("Type", ticket.Type.ToName()),
            new("Stack", ticket.Stack),
            new("Platform", string.Join(" ", new[] { ticket.Os, ticket.Arch }.Where(x => !string.IsNullOrWhiteSpace(x))) is { Length: > 0 } p ? p : "any"),
        };
        if (ticket.IsSecurityRelease && !ticket.IsRestricted) list.Add(new("Security", "security update: see the advisory"));
        if (ticket.RepositoryUrl is not null && ticket.TakesSites) list.Add(new("Install from", ticket.RepositoryUrl));
        if (ticket.ProductionRepositoryUrl is not null) list.Add(new("Production", ticket.ProductionRepositoryUrl));
        // The coordinators' zone, named, and the reader's own time as their client shows it.
        if (facts.AcceptBy is { } by && ticket.State == TicketState.Verified && facts.AcceptByAt is { } at)
            list.Add(new("Accept by", $"{by} ({CardText.LocalTime(at)} your time)"));
        if (ticket.State == TicketState.Closed && !string.IsNullOrWhiteSpace(ticket.Summary))
            list.Add(new(ticket.Outcome == Outcome.Warning ? "Known issues" : "Summary", ticket.Summary));
        return list;
    }

    private static IEnumerable<string> Links(Ticket ticket)
    {
        (string Name, string? Url)[] all =
        [
            ("Release notes", ticket.NotesUrl), ("Changelog", ticket.ChangelogUrl), ("Certification", ticket.CertificationUrl),
            ("Documentation", ticket.DocsUrl), ("Advisory", ticket.SecurityAdvisoryUrl),
        ];
        foreach (var (name, url) in all)
            if (url is not null) yield return $"[{name}]({url})";
        foreach (var (bug, i) in ticket.Bugs.Select((b, i) => (b, i + 1))) yield return $"[Bug {i}]({bug})";
    }

    /// <summary>
    /// Accept while a site is still expected (on a verified release anyone may join; once it rolls out, only while a
    /// committed site has not answered: a site that took part has nothing to accept); Report while someone has an open
    /// part; nothing once it is closed.
    /// </summary>
    private static List<CardAction>? Actions(Ticket ticket, ReleaseCardFacts facts)
    {
        var actions = new List<CardAction>();
        var ticketId = ticket.Id.ToString(CultureInfo.InvariantCulture);
        if (ticket.State == TicketState.Verified || ticket.State == TicketState.RollingOut && facts.AnyoneStillExpected)
            actions.Add(new ExecuteAction("Accept", AcceptVerb, new Dictionary<string, string> { ["ticket"] = ticketId }));
        if (ticket.State == TicketState.RollingOut && ticket.Participations.Any(p => p.IsOpen))
            actions.Add(new ShowCardAction("Report", ReportForm(ticketId)));
        if (ticket.TakesSites) actions.Add(new ShowCardAction("Not this time", PassForm(ticketId)));
        return actions.Count == 0 ? null : actions;
    }

    private static AdaptiveCard ReportForm(string ticketId) => new(
        [
            new ChoiceInput("outcome", "Outcome",
                Enum.GetValues<Outcome>().Select(o => new Choice(o.ToName(), o.ToName())).ToList(), IsRequired: true,
                ErrorMessage: "Pick success, warning or reject"),
            new TextInput("hours", "Hours spent", Placeholder: "e.g. 2.5"),
            new TextInput("bugs", "Bug links, comma-separated", Placeholder: "https://…, https://…"),
            new TextInput("notes", "What you did and found", IsRequired: true, IsMultiline: true, ErrorMessage: "Say what you did and found"),
        ],
        [new ExecuteAction("Send report", ReportVerb, new Dictionary<string, string> { ["ticket"] = ticketId })]);

    private static AdaptiveCard PassForm(string ticketId) => new(
        [new TextInput("reason", "Why your site will not take it", IsRequired: true, ErrorMessage: "Say why, for the coordinators")],
        [new ExecuteAction("Not this time", Pass.Verb, new Dictionary<string, string> { ["ticket"] = ticketId })]);

    /// <summary>Every input id the report form emits, for the test that the verb reads them all.</summary>
    public static readonly IReadOnlyList<string> ReportInputs = ["outcome", "hours", "bugs", "notes"];
}
