using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>One site on the release card: its name and where it stands, in plain words.</summary>
public sealed record SiteStanding(string Site, string Standing);

/// <summary>
/// What the release card tells a site beyond the ticket itself: every site expected (committed to the component) and
/// every site taking part, where each stands, and its deadlines in that site's own zone, named (the site's admins are
/// the readers of its line); the accept-by time in the coordinators' zone, named, for the card as a whole.
/// </summary>
/// <param name="Actors">
/// The chat user ids of the people who have something to do on the card: the admins of the committed sites still expected
/// and of the sites with an open part. Teams shows each of them their own view of the card (its <c>refresh</c>).
/// </param>
public sealed record ReleaseCardFacts(IReadOnlyList<SiteStanding> Sites, string? AcceptBy, DateTimeOffset? AcceptByAt, bool AnyoneStillExpected,
    IReadOnlyList<string> Actors)
{
    /// <summary>No site expected, no deadline: the card as the ticket alone describes it.</summary>
    public static readonly ReleaseCardFacts None = new([], null, null, false, []);


    /// <param name="verifiedAt">When the ticket was verified; read from its step times when not given.</param>
    public static async Task<ReleaseCardFacts> ReadAsync(RolloutDb db, Ticket ticket, WorkingCalendars calendars,
        DateTimeOffset? verifiedAt, CancellationToken ct)
    {
        await db.LoadDeclinesAsync(ticket, ct);
        var channel = await calendars.ForChannelAsync(db, ct);
        var timeline = ticket.Type.Timeline();
        verifiedAt ??= await db.TicketStepTimes.AsNoTracking().Where(t => t.TicketId == ticket.Id).Select(t => t.VerifiedAt).FirstOrDefaultAsync(ct);
        var acceptBy = ticket.State == TicketState.Verified && verifiedAt is { } at ? timeline.AcceptanceDue(at, channel) : (DateTimeOffset?)null;

        var committed = await CommittedSites.ForReleaseAsync(db, ticket, ct);
        var zones = committed.ToDictionary(s => s.Id, s => s.TimeZone);
        var rows = new List<SiteStanding>();
        var expected = false;
        var acting = ticket.Participations.Where(p => p.IsOpen && ticket.State == TicketState.RollingOut).Select(p => p.SiteId).ToHashSet();
        foreach (var part in ticket.Participations.OrderBy(p => p.SiteName, StringComparer.OrdinalIgnoreCase))
        {
            string standing;
            if (part.WithdrawnAt is not null) standing = "withdrew";
            else if (part.DoneAt is not null) standing = "done: " + Plain(part.Outcome);
            else
            {
                var site = await calendars.ForSiteAsync(db, part.SiteId, ct);
                standing = ticket.State == TicketState.RollingOut
                    ? $"taking part, report due {When(timeline.ReportDue(part.AcceptedAt, site), site)}"
                    : "took part, no report";
            }
            rows.Add(new(part.SiteName, standing));
        }
        foreach (var decline in ticket.Declines.Where(d => ticket.Participations.All(p => p.SiteId != d.SiteId)))
            rows.Add(new(decline.SiteName, "not this time"));
        foreach (var site in committed.Where(s => rows.All(r => !r.Site.Equals(s.Name, StringComparison.OrdinalIgnoreCase))))
        {
            expected |= ticket.TakesSites;
            if (ticket.TakesSites) acting.Add(site.Id);
            rows.Add(new(site.Name, ticket.State switch
            {
                TicketState.Verified when acceptBy is { } by => $"expected, accept by {When(by, await calendars.ForSiteAsync(db, site.Id, ct))}",
                TicketState.Verified or TicketState.RollingOut => "expected, has not answered",
                _ => "did not take part",
            }));
        }
        var actors = acting.Count == 0 ? [] : await db.SiteAdmins.AsNoTracking()
            .Where(a => a.RemovedAt == null && acting.Contains(a.SiteId)).Select(a => a.UserId).Distinct().OrderBy(u => u).ToListAsync(ct);
        return new(rows, acceptBy is { } due ? When(due, channel) : null, acceptBy, expected, actors);
    }

    /// <summary>"Tue 24 Nov 10:00 Europe/Zurich": a moment in a named zone.</summary>
    public static string When(DateTimeOffset at, WorkingCalendar calendar) =>
        calendar.ToLocal(at).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " " + calendar.Zone.Id;

    private static string Plain(Outcome? outcome) => outcome switch
    {
        Outcome.Success => "success",
        Outcome.Warning => "works, with warnings",
        Outcome.Reject => "should be rejected",
        _ => "reported",
    };
}
