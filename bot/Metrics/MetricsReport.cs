using Rollout.Bot.Scheduling;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Metrics;

public sealed record SiteMetrics(string Site, bool Committed, int Tickets, double HoursReported, double? MedianHoursToReport, double? MedianAcceptanceHours);

public sealed record ComponentMetrics(string Component, int Releases, int Rejections, int Warnings);

/// <summary>One Table 3 step for one release type: how many releases finished it, how many within the target.</summary>
public sealed record StepMetrics(int Step, string ReleaseType, int Completed, int MetTarget, double? MedianHours, double? MedianTargetHours)
{
    public double? ShareMet => Completed == 0 ? null : (double)MetTarget / Completed;
}

public sealed record MonthMetrics(string Month, int Success, int Warning, int Reject, int InProgress);

/// <summary>
/// Seed 002 §4: metrics for early-adopter sites (§4.1) and for component releases (§4.2), plus how each Table 3
/// step did against its target. Restricted releases count in every total; the viewer who may not see them finds
/// them under <see cref="RestrictedLabel"/> instead of their component.
/// </summary>
public sealed record MetricsReport(
    MetricsPeriod Period, int SitesCommitted, int SitesActive, int Releases, int RestrictedReleases,
    IReadOnlyList<SiteMetrics> Sites, IReadOnlyList<ComponentMetrics> Components, IReadOnlyList<StepMetrics> Steps,
    IReadOnlyList<MonthMetrics> Months)
{
    public const string RestrictedLabel = "(restricted)";

    public static readonly IReadOnlyList<string> StepNames =
        ["", "certified → unverified", "unverified → verified", "verified → closed"];

    /// <param name="mayName">Whether the viewer may see this restricted release; public views pass <c>_ => false</c>.</param>
    public static MetricsReport Build(
        MetricsPeriod period, IReadOnlyList<ReleaseRow> releases, IReadOnlyList<ParticipationRow> participations,
        IReadOnlyList<CommittedSite> committed, WorkingCalendar calendar, Func<ReleaseRow, bool> mayName)
    {
        var committedNames = committed.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sites = participations.GroupBy(p => p.SiteName, StringComparer.OrdinalIgnoreCase)
            .Select(g => new SiteMetrics(g.Key, committedNames.Contains(g.Key), g.Count(), g.Sum(p => p.Hours ?? 0),
                Median(g.Where(p => p.DoneAt is not null).Select(p => (p.DoneAt!.Value - p.AcceptedAt).TotalHours)),
                Median(g.Where(p => p.VerifiedAt is { } v && v <= p.AcceptedAt).Select(p => (p.AcceptedAt - p.VerifiedAt!.Value).TotalHours))))
            .ToList();
        sites.AddRange(committed.Where(c => !sites.Any(s => string.Equals(s.Site, c.Name, StringComparison.OrdinalIgnoreCase)))
            .Select(c => new SiteMetrics(c.Name, true, 0, 0, null, null)));

        var components = releases
            .GroupBy(r => !r.Restricted || mayName(r) ? r.Component : RestrictedLabel, StringComparer.OrdinalIgnoreCase)
            .Select(g => new ComponentMetrics(g.Key, g.Count(),
                g.Count(r => r.State == TicketState.Rejected || r.Outcome == Outcome.Reject), g.Count(r => r.Outcome == Outcome.Warning)))
            .OrderByDescending(c => c.Releases).ThenBy(c => c.Component, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var months = releases.GroupBy(r => r.CreatedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MonthMetrics(g.Key,
                g.Count(r => r.Outcome == Outcome.Success), g.Count(r => r.Outcome == Outcome.Warning),
                g.Count(r => r.Outcome == Outcome.Reject || r.State == TicketState.Rejected),
                g.Count(r => r.Outcome is null && r.State != TicketState.Rejected)))
            .ToList();

        return new MetricsReport(period, committed.Count, participations.Select(p => p.SiteId).Distinct().Count(),
            releases.Count, releases.Count(r => r.Restricted),
            sites.OrderByDescending(s => s.Tickets).ThenBy(s => s.Site, StringComparer.OrdinalIgnoreCase).ToList(),
            components, StepTimes(releases, calendar), months);
    }

    private static List<StepMetrics> StepTimes(IReadOnlyList<ReleaseRow> releases, WorkingCalendar calendar)
    {
        var result = new List<StepMetrics>();
        foreach (var type in Enum.GetValues<ReleaseType>())
        {
            var ofType = releases.Where(r => r.Type == type).ToList();
            for (var step = 1; step <= 3; step++)
            {
                var done = ofType.Select(r => StepTarget.Span(r, step)).OfType<(DateTimeOffset Start, DateTimeOffset End)>()
                    .Select(s => (s.Start, s.End, Deadline: StepTarget.Deadline(type, step, s.Start, calendar)))
                    .ToList();
                result.Add(new StepMetrics(step, type.ToName(), done.Count, done.Count(d => d.End <= d.Deadline),
                    Median(done.Select(d => (d.End - d.Start).TotalHours)), Median(done.Select(d => (d.Deadline - d.Start).TotalHours))));
            }
        }
        return result;
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>The three Table 3 steps of a release: when each started and ended, and its deadline.</summary>
public static class StepTarget
{
    /// <summary>Step 1 certified → unverified, step 2 unverified → verified, step 3 verified → closed; null while unfinished.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Span(ReleaseRow r, int step) => step switch
    {
        1 when r.UnverifiedAt is { } end => (r.CreatedAt, end),
        2 when r.UnverifiedAt is { } start && r.VerifiedAt is { } end => (start, end),
        3 when r.VerifiedAt is { } start && r.ClosedAt is { } end => (start, end),
        _ => null,
    };

    /// <summary>When the step is under way: its start (or null when the release is not in that step).</summary>
    public static (int Step, DateTimeOffset Start)? Current(ReleaseRow r) => r.State switch
    {
        TicketState.Certified => (1, r.CreatedAt),
        TicketState.Unverified when r.UnverifiedAt is { } at => (2, at),
        TicketState.Verified or TicketState.RollingOut when r.VerifiedAt is { } at => (3, at),
        _ => null,
    };

    /// <summary>The Table 3 deadline of a step started at <paramref name="start"/>; step 3 includes the grace period.</summary>
    public static DateTimeOffset Deadline(ReleaseType type, int step, DateTimeOffset start, WorkingCalendar calendar)
    {
        var timeline = ReleaseTimelines.Table3[type.ToName()];
        var target = step switch { 1 => timeline.Repository, 2 => timeline.Verification, _ => timeline.StagedRollout };
        var deadline = target.DeadlineFrom(start, calendar);
        var grace = timeline.GracePeriod;
        return step == 3 && (grace.WorkingDays > 0 || grace.WallClock is not null) ? grace.DeadlineFrom(deadline, calendar) : deadline;
    }
}
