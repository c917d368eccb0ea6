using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Metrics;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Status;

public sealed record ReleaseInProgress(Ticket Ticket, TimeSpan Age, IReadOnlyList<string> Sites, IReadOnlyList<string> MissedTargets);

public sealed record BulletinLink(long Id, string Meeting, DateTimeOffset MeetingAt);

/// <summary>Everything the status page shows, already stripped of restricted releases.</summary>
public sealed record StatusModel(
    DateTimeOffset Now, int InProgressTotal, IReadOnlyList<ReleaseInProgress> InProgress, IReadOnlyList<Ticket> RecentProduction,
    IReadOnlyList<Component> Vacancies, IReadOnlyList<MeetingOccurrence> Meetings, IReadOnlyList<BulletinLink> Bulletins, MetricsReport Metrics,
    IReadOnlyList<string>? Sections = null);

/// <summary>What a status-page section is given: the database and the moment the page is drawn at.</summary>
public sealed record StatusContext(RolloutDb Db, DateTimeOffset Now, CancellationToken Ct);

/// <summary>
/// A section a feature adds to the public status page: HTML it has escaped itself (with <c>WebUtility.HtmlEncode</c>),
/// never a restricted release or an e-mail address; null when it has nothing to show.
/// Registered with <c>services.AddContribution&lt;StatusSection&gt;(name, order, …)</c>.
/// </summary>
public delegate Task<string?> StatusSection(StatusContext context);

/// <summary>Reads the public view of the rollout (<see cref="Visibility.Public"/>): never a restricted release, whatever its state.</summary>
public sealed class StatusData(IDbContextFactory<RolloutDb> dbs, WorkingCalendars calendars, Coordination.MeetingCatalog meetings, MetricsService metrics,
    TimeProvider clock, Hosting.Contributions<StatusSection> sections)
{
    public const int Shown = 50;

    public async Task<StatusModel> LoadAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        // The year of metrics is the long read: it runs on its own connections while the rest of the page is read.
        var period = new MetricsPeriod(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - MetricsPeriod.DefaultDays),
            new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1), null);
        var metricsReport = metrics.BuildAsync(period, MetricsService.Public, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var calendar = await calendars.ForChannelAsync(db, ct);

        // Listed as IN (…) rather than "not closed and not rejected" so that the state index finds the few open tickets.
        var openStates = TicketStates.Open;
        var open = db.Tickets.AsNoTracking().Where(Visibility.Public).Where(t => openStates.Contains(t.State));
        var total = await open.CountAsync(ct);
        var tickets = await open.OrderByDescending(t => t.Id).Take(Shown).Include(t => t.Participations).ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var times = await db.TicketStepTimes.AsNoTracking().Where(s => ids.Contains(s.TicketId)).ToDictionaryAsync(s => s.TicketId, ct);
        var inProgress = tickets.Select(t =>
        {
            var step = times.GetValueOrDefault(t.Id);
            var row = new ReleaseRow(t.Id, t.Component, t.Type, t.State, t.Outcome, t.ProviderId, false, t.CreatedAt,
                step?.UnverifiedAt, step?.VerifiedAt, null, null);
            return new ReleaseInProgress(t, now - t.CreatedAt,
                t.Participations.Where(p => p.WithdrawnAt is null).Select(p => p.SiteName).Order(StringComparer.OrdinalIgnoreCase).ToList(),
                Missed(row, now, calendar));
        }).ToList();

        var production = await db.Tickets.AsNoTracking()
            .Where(Visibility.Public).Where(t => t.State == TicketState.Closed && (t.Outcome == Outcome.Success || t.Outcome == Outcome.Warning))
            .OrderByDescending(t => t.UpdatedAt).Take(10).ToListAsync(ct);
        var bulletins = await db.BulletinPosts.AsNoTracking().OrderByDescending(b => b.MeetingAt).Take(20)
            .Select(b => new BulletinLink(b.Id, b.Meeting, b.MeetingAt)).ToListAsync(ct);
        var next = (await meetings.AllAsync(db, ct)).SelectMany(m => m.OccurrencesAfter(now).Take(3)).OrderBy(o => o.Start).Take(6).ToList();
        var vacancies = await ComponentCatalogue.VacanciesAsync(db, ct);
        var extra = new List<string>();
        foreach (var (_, section) in sections.All)
            if (await section(new StatusContext(db, now, ct)) is { Length: > 0 } html) extra.Add(html);
        return new StatusModel(now, total, inProgress, production, vacancies, next, bulletins, await metricsReport, extra);
    }

    /// <summary>
    /// Steps finished after their deadline, the step under way past its deadline, Table 3's total past due, and an
    /// acceptance not made in time — each from <see cref="ReleaseTimeline"/>, the rule the reminders use.
    /// </summary>
    public static IReadOnlyList<string> Missed(ReleaseRow row, DateTimeOffset now, WorkingCalendar calendar)
    {
        var missed = new List<string>();
        var timeline = row.Type.Timeline();
        for (var step = 1; step <= MetricsReport.StepCount; step++)
        {
            if (StepTarget.Span(row, step) is { } span && span.End > StepTarget.Deadline(row.Type, step, span.Start, calendar))
                missed.Add($"step {step} ({MetricsReport.StepNames[step]}) finished late");
        }
        if (StepTarget.Current(row) is { } current && StepTarget.Deadline(row.Type, current.Step, current.Start, calendar) is var due && now > due)
            missed.Add($"step {current.Step} ({MetricsReport.StepNames[current.Step]}) overdue since {TicketCommand.When(due)}");
        if (row.State.IsOpen() && timeline.Due(TimelineStep.Total, row.CreatedAt, calendar) is var total && now > total)
            missed.Add($"Table 3 total ({timeline.Total.Describe()}) overdue since {TicketCommand.When(total)}");
        if (row.State == TicketState.Verified && row.VerifiedAt is { } verified
            && timeline.AcceptanceDue(verified, calendar) is var accept && now > accept)
            missed.Add($"acceptance overdue since {TicketCommand.When(accept)}");
        return missed;
    }
}
