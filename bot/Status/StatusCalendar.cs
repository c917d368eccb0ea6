using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Metrics;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Status;

/// <summary>What a calendar source is given: the database, the public base URL, the UID domain, now and the horizon.</summary>
public sealed record CalendarContext(RolloutDb Db, string BaseUrl, string Authority, DateTimeOffset Now, DateTimeOffset Horizon, CancellationToken Ct);

/// <summary>
/// Events a feature adds to <c>/calendar.ics</c> (never about a restricted release), with UIDs derived from what
/// they are about. Registered with <c>services.AddContribution&lt;CalendarSource&gt;(name, order, …)</c>.
/// </summary>
public delegate Task<IReadOnlyList<CalendarEvent>> CalendarSource(CalendarContext context);

/// <summary>
/// What goes into <c>/calendar.ics</c>: the meetings of the next weeks, the acceptance deadline of every verified
/// release nobody has accepted yet (§2.4 3.2: one working day), and each accepted site's report due date (its
/// Table 3 staged-rollout step plus the grace period, on that site's own working calendar). No restricted release.
/// </summary>
public static partial class StatusCalendar
{
    public const int MaxEvents = 500;

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();

    public static async Task<IReadOnlyList<CalendarEvent>> LoadAsync(
        RolloutDb db, WorkingCalendars calendars, Coordination.MeetingCatalog meetings, StatusOptions options, string baseUrl, DateTimeOffset now,
        IReadOnlyList<(string Name, CalendarSource Run)> sources, CancellationToken ct = default)
    {
        var events = new List<CalendarEvent>();
        var horizon = now.AddDays(7 * options.CalendarWeeks);
        foreach (var meeting in await meetings.AllAsync(db, ct))
        {
            var slug = NotSlug().Replace(meeting.Name.ToLowerInvariant(), "-").Trim('-');
            // The UID is the series' own start of the occurrence, so a moved occurrence updates its event.
            events.AddRange(meeting.OccurrencesAfter(now).TakeWhile(o => o.Start < horizon).Select(o => new CalendarEvent(
                $"meeting-{slug}-{ICalendarFile.Stamp(meeting.On(o.Date).Start)}@{options.Authority}", o.Start, meeting.Length.ToTimeSpan(),
                meeting.Name, Coordination.MeetingText.CalendarDescription(o), $"{baseUrl}/status") { Location = meeting.Room }));
        }

        var channel = await calendars.ForChannelAsync(db, ct);
        var waiting = await db.Tickets.AsNoTracking().Where(Visibility.Public).Where(t => t.State == TicketState.Verified)
            .OrderBy(t => t.Id).Take(MaxEvents).Select(t => new { t.Id, t.Component, t.Version, t.Type }).ToListAsync(ct);
        var ids = waiting.Select(t => t.Id).ToList();
        var verifiedAt = await db.TicketStepTimes.AsNoTracking().Where(s => ids.Contains(s.TicketId) && s.VerifiedAt != null)
            .ToDictionaryAsync(s => s.TicketId, s => s.VerifiedAt!.Value, ct);
        events.AddRange(waiting.Where(t => verifiedAt.ContainsKey(t.Id)).Select(t => new CalendarEvent(
            $"ticket-{t.Id}-acceptance@{options.Authority}", t.Type.Timeline().AcceptanceDue(verifiedAt[t.Id], channel), TimeSpan.FromMinutes(30),
            $"Acceptance due: #{t.Id} {t.Component} {t.Version}",
            $"Early adopters accept within {t.Type.Timeline().Acceptance.Describe()} of verification (staged-rollout procedure, step 3.2).", $"{baseUrl}/status")));

        var open = await db.Participations.AsNoTracking()
            .Where(p => p.DoneAt == null && p.WithdrawnAt == null)
            .Join(db.Tickets.Where(Visibility.Public).Where(t => t.State == TicketState.RollingOut), p => p.TicketId, t => t.Id,
                (p, t) => new { p.SiteId, p.SiteName, p.AcceptedAt, t.Id, t.Component, t.Version, t.Type })
            .OrderBy(x => x.Id).Take(MaxEvents).ToListAsync(ct);
        var siteCalendars = new Dictionary<long, WorkingCalendar>();
        foreach (var p in open)
        {
            if (!siteCalendars.TryGetValue(p.SiteId, out var calendar))
                siteCalendars[p.SiteId] = calendar = await calendars.ForSiteAsync(db, p.SiteId, ct);
            events.Add(new CalendarEvent($"ticket-{p.Id}-site-{p.SiteId}-report@{options.Authority}",
                p.Type.Timeline().ReportDue(p.AcceptedAt, calendar), TimeSpan.FromMinutes(30),
                $"Report due: #{p.Id} {p.Component} {p.Version} at {p.SiteName}",
                $"Staged rollout of a {p.Type.ToName()} release plus the grace period, counted from the site's acceptance.", $"{baseUrl}/status"));
        }
        var context = new CalendarContext(db, baseUrl, options.Authority, now, horizon, ct);
        foreach (var (_, source) in sources) events.AddRange(await source(context));
        return events.OrderBy(e => e.Start).ThenBy(e => e.Uid, StringComparer.Ordinal).Take(MaxEvents * 4).ToList();
    }
}
