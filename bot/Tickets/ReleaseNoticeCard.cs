using System.Globalization;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>"My actions", and Teams' refresh: answered with the clicker's own card (<see cref="ForViewer"/>).</summary>
    public const string ViewVerb = "ticket.view";

    /// <summary>The coordinators' Close form on their own card, once every site taking part has reported.</summary>
    public const string CloseVerb = "ticket.close";

    public static string CardKey(long ticketId) => $"ticket:{ticketId}";

    /// <summary>
    /// The card for everyone at once, with every button that still applies to some site: what clients without per-viewer
    /// cards (Web Chat) show; each click is checked against the clicker's own sites.
    /// </summary>
    public static AdaptiveCard Build(Ticket ticket, ReleaseCardFacts facts) =>
        new(Body(ticket, facts), Actions(ticket, facts, null)) { FallbackText = Title(ticket) };

    /// <summary>
    /// The card as a Teams channel, group or personal chat shows it to everyone: where the release stands, no buttons
    /// that apply to some sites only, and "My actions", which answers with the clicker's own card. Teams asks for that
    /// card by itself (<c>refresh</c>) for the people who have something to do (<see cref="ReleaseCardFacts.Actors"/>),
    /// so a site that took part never sees Accept, and everyone else sees the status.
    /// </summary>
    public static AdaptiveCard Shared(Ticket ticket, ReleaseCardFacts facts)
    {
        var card = new AdaptiveCard(Body(ticket, facts), ActsAtAll(ticket) ? [new ExecuteAction("My actions", ViewVerb, TicketData(ticket))] : null)
            { FallbackText = Title(ticket) };
        return ActsAtAll(ticket) ? card.WithRefresh(ViewVerb, TicketData(ticket), facts.Actors) : card;
    }

    /// <summary>The card as one person sees it: the buttons of what their sites can do, and a line saying what that is.</summary>
    public static AdaptiveCard ForViewer(Ticket ticket, ReleaseCardFacts facts, ViewerActions mine)
    {
        var body = Body(ticket, facts);
        body.Add(new TextBlock(mine.Describe(ticket), Weight: "Bolder", Color: mine.Any ? "Accent" : "Default"));
        var card = new AdaptiveCard(body, Actions(ticket, facts, mine)) { FallbackText = Title(ticket) };
        // Kept on the viewer's card so that Teams keeps asking for it as the release moves on.
        return ActsAtAll(ticket) ? card.WithRefresh(ViewVerb, TicketData(ticket), facts.Actors) : card;
    }

    /// <summary>The notice: the card for everyone, and for Teams the shared card with per-viewer views.</summary>
    public static BotMessage Message(Ticket ticket, ReleaseCardFacts facts) =>
        BotMessage.CardAlone(Build(ticket, facts).ToJson(), Title(ticket)) with { TeamsCards = [Shared(ticket, facts).ToJson()] };

    /// <summary>True while some site may still accept, report or pass: the card has something to offer someone.</summary>
    private static bool ActsAtAll(Ticket ticket) => ticket.TakesSites;

    private static Dictionary<string, string> TicketData(Ticket ticket) =>
        new() { ["ticket"] = ticket.Id.ToString(CultureInfo.InvariantCulture) };

    private static List<CardElement> Body(Ticket ticket, ReleaseCardFacts facts)
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
            body.Add(new TextBlock(string.Join("\n", facts.Sites.Select(s => $"- {E(s.Site)}: {s.Standing}"))));
        }
        return body;
    }

    private static string Title(Ticket ticket) => $"{ticket.Number} {E(ticket.Component)} {E(ticket.Version)}: {Headline(ticket)}";

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
            new("Platform", string.Join(" ", new[] { ticket.Os, ticket.Arch }.Where(x => !string.IsNullOrWhiteSpace(x))) is { Length: > 0 } p ? E(p) : "any"),
        };
        if (ticket.IsSecurityRelease && !ticket.IsRestricted) list.Add(new("Security", "security update: see the advisory"));
        if (ticket.RepositoryUrl is not null && ticket.TakesSites) list.Add(new("Install from", ticket.RepositoryUrl));
        if (ticket.ProductionRepositoryUrl is not null) list.Add(new("Production", ticket.ProductionRepositoryUrl));
        // The coordinators' zone, named, and the reader's own time as their client shows it.
        if (facts.AcceptBy is { } by && ticket.State == TicketState.Verified && facts.AcceptByAt is { } at)
            list.Add(new("Accept by", $"{by} ({CardText.LocalTime(at)} your time)"));
        if (ticket.State == TicketState.Closed && !string.IsNullOrWhiteSpace(ticket.Summary))
            list.Add(new(ticket.Outcome == Outcome.Warning ? "Known issues" : "Summary", E(ticket.Summary)));
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
            if (url is not null) yield return $"[{name}]({LinkTarget(url)})";
        foreach (var (bug, i) in ticket.Bugs.Select((b, i) => (b, i + 1))) yield return $"[Bug {i}]({LinkTarget(bug)})";
    }

    /// <summary>
    /// For everyone (<paramref name="mine"/> null): Accept while a site is still expected (on a verified release anyone
    /// may join; once it rolls out, only while a committed site has not answered: a site that took part has nothing to
    /// accept); Report while someone has an open part; nothing once it is closed. For one viewer: what their sites can do.
    /// </summary>
    private static List<CardAction>? Actions(Ticket ticket, ReleaseCardFacts facts, ViewerActions? mine)
    {
        var actions = new List<CardAction>();
        var ticketId = ticket.Id.ToString(CultureInfo.InvariantCulture);
        if (mine?.Accept ?? (ticket.State == TicketState.Verified || ticket.State == TicketState.RollingOut && facts.AnyoneStillExpected))
            actions.Add(new ExecuteAction("Accept", AcceptVerb, new Dictionary<string, string> { ["ticket"] = ticketId }));
        if (mine?.Report ?? (ticket.State == TicketState.RollingOut && ticket.Participations.Any(p => p.IsOpen)))
            actions.Add(new ShowCardAction("Report", ReportForm(ticketId)));
        if (mine?.Pass ?? ticket.TakesSites) actions.Add(new ShowCardAction("Not this time", PassForm(ticketId)));
        // Closing is the coordinators' alone: only on a coordinator's own card, never on the one everyone sees.
        if (mine?.Close == true) actions.Add(new ShowCardAction("Close", CloseForm(ticketId)));
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

    private static AdaptiveCard CloseForm(string ticketId) => new(
        [
            new ChoiceInput("outcome", "Outcome of the staged rollout",
                Enum.GetValues<Outcome>().Select(o => new Choice(o.ToName(), o.ToName())).ToList(), IsRequired: true,
                ErrorMessage: "Pick success, warning or reject"),
            new TextInput("summary", "Summary (a warning's known issues and workarounds go to every site)", IsRequired: true, IsMultiline: true,
                ErrorMessage: "Write the summary of the staged rollout"),
        ],
        [new ExecuteAction("Close the staged rollout", CloseVerb, new Dictionary<string, string> { ["ticket"] = ticketId })]);

    /// <summary>Every input id the report form emits, for the test that the verb reads them all.</summary>
    public static readonly IReadOnlyList<string> ReportInputs = ["outcome", "hours", "bugs", "notes"];

    /// <summary>What people typed, made inert for the card's markdown (issue 12.12).</summary>
    private static string E(string? text) => CardText.Escape(text);

    /// <summary>A checked http(s) URL as a markdown link target: brackets and spaces encoded, so it cannot end the link early.</summary>
    private static string LinkTarget(string url) =>
        url.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal)
            .Replace("[", "%5B", StringComparison.Ordinal).Replace("]", "%5D", StringComparison.Ordinal);
}

/// <summary>
/// What one person's sites can do on a release, by the same rules the commands check (<see cref="Accept"/>,
/// <see cref="Report"/>, <see cref="Pass"/>): a click is still checked again when it arrives.
/// </summary>
public sealed record ViewerActions(IReadOnlyList<string> Sites, bool Accept, bool Report, bool Pass, bool Close = false)
{
    public bool Any => Accept || Report || Pass || Close;

    /// <summary>The line under the viewer's card: what is theirs to do, or that nothing is.</summary>
    public string Describe(Ticket ticket)
    {
        var sites = string.Join(", ", Sites.Select(CardText.Escape));
        if (!ticket.TakesSites) return "Nothing is left to do on this release.";
        var can = new List<string>();
        if (Accept) can.Add("accept it");
        if (Report) can.Add("report how it went");
        if (Pass) can.Add("say not this time");
        var lines = new List<string>();
        if (can.Count > 0) lines.Add($"For {sites}: {string.Join(", or ", can)}.");
        if (Close) lines.Add("Every site taking part has reported: as a coordinator, close the staged rollout.");
        if (lines.Count > 0) return string.Join(" ", lines);
        return Sites.Count == 0 ? "You administer no site that can take this release: this card is for your information."
            : $"Nothing for {sites} to do on this release now.";
    }

    /// <summary>What the caller (their sites, and whether they coordinate) can do on <paramref name="ticket"/> (declines loaded).</summary>
    public static async Task<ViewerActions> ForAsync(Storage.RolloutDb db, Ticket ticket, IReadOnlyCollection<long> adminOf, bool isCoordinator,
        CancellationToken ct)
    {
        var ids = adminOf.ToList();
        // The rule /accept and /pass apply: a restricted release is only for the sites committed to it.
        var allowed = await CommittedSites.EligibleAsync(db, ticket, adminOf, ct);
        var eligible = await db.Sites.AsNoTracking().Where(x => allowed.Contains(x.Id) && x.RemovedAt == null).OrderBy(x => x.Name).ToListAsync(ct);
        var taking = ticket.Participations.Select(p => p.SiteId).ToHashSet();
        var declined = ticket.Declines.Select(d => d.SiteId).ToHashSet();
        var free = eligible.Where(x => !taking.Contains(x.Id)).ToList();
        var accept = ticket.TakesSites && free.Count > 0;
        var report = ticket.State == TicketState.RollingOut && ticket.Participations.Any(p => p.IsOpen && ids.Contains(p.SiteId));
        var pass = ticket.TakesSites && free.Any(x => !declined.Contains(x.Id));
        var close = isCoordinator && ticket.IsReadyToClose;
        return new(eligible.Select(x => x.Name).ToList(), accept, report, pass, close);
    }
}
