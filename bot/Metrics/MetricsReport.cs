using System.Globalization;
using System.Runtime.CompilerServices;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Metrics;

/// <param name="Declined">Tickets the site passed on ("not this time"): an answer, counted apart from the tickets it took.</param>
public sealed record SiteMetrics(string Site, bool Committed, int Tickets, double HoursReported, double? MedianHoursToReport, double? MedianAcceptanceHours,
    int Declined = 0);

public sealed record ComponentMetrics(string Component, int Releases, int Rejections, int Warnings);

/// <summary>One Table 3 step for one release type: how many releases finished it, how many within the target.</summary>
public sealed record StepMetrics(int Step, string ReleaseType, int Completed, int MetTarget, double? MedianHours, double? MedianTargetHours)
{
    public double? ShareMet => Completed == 0 ? null : (double)MetTarget / Completed;
}

public sealed record MonthMetrics(string Month, int Success, int Warning, int Reject, int InProgress);

/// <summary>
/// Seed 002 §4: metrics for early-adopter sites (§4.1) and for component releases (§4.2), plus how each Table 3
/// step did against its target. Restricted releases count in the release totals; the viewer who may not see them finds
/// them under <see cref="RestrictedLabel"/> instead of their component, and a site's part in them is left out of its tallies.
/// </summary>
public sealed record MetricsReport(
    MetricsPeriod Period, int SitesCommitted, int SitesActive, int Releases, int RestrictedReleases,
    IReadOnlyList<SiteMetrics> Sites, IReadOnlyList<ComponentMetrics> Components, IReadOnlyList<StepMetrics> Steps,
    IReadOnlyList<MonthMetrics> Months)
{
    public const string RestrictedLabel = "(restricted)";

    /// <summary>Pilot credits earned in the period (seed 001's effort table), per site, pilot and role.</summary>
    public Pilots.PilotCreditTotals? PilotCredits { get; init; }

    public static readonly IReadOnlyList<string> StepNames =
        ["", "certified → unverified", "unverified → verified", "verified → closed", "opened → closed (total)"];

    /// <summary>The Table 3 steps measured, and the total.</summary>
    public const int StepCount = 4;

    /// <param name="mayName">Whether the viewer may see this restricted release; public views pass <c>_ => false</c>.</param>
    /// <remarks>
    /// One pass over each list into per-group accumulators, then one sort per median: a year is ~35k releases and
    /// ~65k acceptances, and this runs on every /metrics, API and status page request (only the rows are cached). The
    /// sites' half and the releases' half share nothing, so they run side by side (<paramref name="mayName"/> must be
    /// safe to call from two threads; <see cref="Tickets.Visibility"/>'s rule reads only).
    /// </remarks>
    public static MetricsReport Build(
        MetricsPeriod period, IReadOnlyList<ReleaseRow> releases, IReadOnlyList<ParticipationRow> participations,
        IReadOnlyList<CommittedSite> committed, WorkingCalendar calendar, Func<ReleaseRow, bool> mayName,
        IReadOnlyDictionary<string, int>? declinedBySite = null)
    {
        var sites = (Sites: new List<SiteMetrics>(), Active: 0);
        var tallies = ReleaseTallies.None;
        Parallel.Invoke(
            () => sites = TallySites(participations, committed, mayName, declinedBySite),
            () => tallies = TallyReleases(releases, calendar, mayName));
        return new MetricsReport(period, committed.Count, sites.Active, releases.Count, tallies.Restricted,
            sites.Sites, tallies.Components, tallies.Steps, tallies.Months);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (List<SiteMetrics> Sites, int Active) TallySites(IReadOnlyList<ParticipationRow> participations, IReadOnlyList<CommittedSite> committed,
        Func<ReleaseRow, bool> mayName, IReadOnlyDictionary<string, int>? declinedBySite)
    {
        var committedNames = committed.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bySite = new Dictionary<string, SiteTally>(StringComparer.OrdinalIgnoreCase);
        var active = new HashSet<long>();
        foreach (var p in participations)
        {
            // Taking part in an embargoed release is not shown to those who may not see it: not even as a count (12.8).
            if (p.Restricted && !mayName(p.Release)) continue;
            if (!bySite.TryGetValue(p.SiteName, out var site)) bySite[p.SiteName] = site = new SiteTally(p.SiteName);
            site.Tickets++;
            site.Hours += p.Hours ?? 0;
            if (p.DoneAt is { } done) site.ToReport.Add((done - p.AcceptedAt).TotalHours);
            if (p.VerifiedAt is { } verified && verified <= p.AcceptedAt) site.Latency.Add((p.AcceptedAt - verified).TotalHours);
            active.Add(p.SiteId);
        }
        foreach (var c in committed) bySite.TryAdd(c.Name, new SiteTally(c.Name)); // committed and idle: listed with zeros
        foreach (var (name, count) in declinedBySite ?? new Dictionary<string, int>())
        {
            if (!bySite.TryGetValue(name, out var site)) bySite[name] = site = new SiteTally(name);
            site.Declined += count;
        }
        var sites = bySite.Values
            .Select(t => new SiteMetrics(t.Name, committedNames.Contains(t.Name), t.Tickets, t.Hours, Median(t.ToReport), Median(t.Latency), t.Declined))
            .OrderByDescending(s => s.Tickets).ThenBy(s => s.Site, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return (sites, active.Count);
    }

    private sealed record ReleaseTallies(int Restricted, List<ComponentMetrics> Components, List<StepMetrics> Steps, List<MonthMetrics> Months)
    {
        public static readonly ReleaseTallies None = new(0, [], [], []);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReleaseTallies TallyReleases(IReadOnlyList<ReleaseRow> releases, WorkingCalendar calendar, Func<ReleaseRow, bool> mayName)
    {
        var byComponent = new Dictionary<string, int[]>(StringComparer.OrdinalIgnoreCase);
        var byMonth = new SortedDictionary<int, int[]>();
        var restricted = 0;
        var steps = new StepTally[Enum.GetValues<ReleaseType>().Length, StepCount];
        foreach (var r in releases)
        {
            if (r.Restricted) restricted++;
            var rejected = r.State == TicketState.Rejected || r.Outcome == Outcome.Reject;
            var name = !r.Restricted || mayName(r) ? r.Component : RestrictedLabel;
            if (!byComponent.TryGetValue(name, out var component)) byComponent[name] = component = new int[3];
            component[0]++;
            if (rejected) component[1]++;
            if (r.Outcome == Outcome.Warning) component[2]++;

            var created = r.CreatedAt.UtcDateTime;
            if (!byMonth.TryGetValue(created.Year * 12 + created.Month - 1, out var month)) byMonth[created.Year * 12 + created.Month - 1] = month = new int[4];
            if (r.Outcome == Outcome.Success) month[0]++;
            else if (r.Outcome == Outcome.Warning) month[1]++;
            if (rejected) month[2]++;
            else if (r.Outcome is null) month[3]++;

            for (var step = 1; step <= StepCount; step++)
            {
                if (StepTarget.Span(r, step) is not { } span) continue;
                var deadline = StepTarget.Deadline(r.Type, step, span.Start, calendar);
                (steps[(int)r.Type, step - 1] ??= new StepTally()).Add(span.Start, span.End, deadline);
            }
        }

        var components = byComponent.Select(c => new ComponentMetrics(c.Key, c.Value[0], c.Value[1], c.Value[2]))
            .OrderByDescending(c => c.Releases).ThenBy(c => c.Component, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var months = byMonth.Select(m => new MonthMetrics(
                string.Create(CultureInfo.InvariantCulture, $"{m.Key / 12:0000}-{m.Key % 12 + 1:00}"), m.Value[0], m.Value[1], m.Value[2], m.Value[3]))
            .ToList();
        var stepMetrics = new List<StepMetrics>();
        foreach (var type in Enum.GetValues<ReleaseType>())
            for (var step = 1; step <= StepCount; step++)
                stepMetrics.Add(steps[(int)type, step - 1] is { } t
                    ? new StepMetrics(step, type.ToName(), t.Hours.Count, t.Met, Median(t.Hours), Median(t.TargetHours))
                    : new StepMetrics(step, type.ToName(), 0, 0, null, null));
        return new ReleaseTallies(restricted, components, stepMetrics, months);
    }

    private sealed class SiteTally(string name)
    {
        public string Name { get; } = name;
        public int Tickets;
        public int Declined;
        public double Hours;
        public readonly List<double> ToReport = [];
        public readonly List<double> Latency = [];
    }

    private sealed class StepTally
    {
        public int Met;
        public readonly List<double> Hours = [];
        public readonly List<double> TargetHours = [];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(DateTimeOffset start, DateTimeOffset end, DateTimeOffset deadline)
        {
            if (end <= deadline) Met++;
            Hours.Add((end - start).TotalHours);
            TargetHours.Add((deadline - start).TotalHours);
        }
    }

    /// <summary>The median of <paramref name="values"/>, which it sorts in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}

/// <summary>The Table 3 steps of a release and its total: when each started and ended, and its deadline (<see cref="ReleaseTimeline"/>).</summary>
public static class StepTarget
{
    /// <summary>
    /// Step 1 certified → unverified, step 2 unverified → verified, step 3 verified → closed, step 4 (the total)
    /// opened → closed; null while unfinished.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (DateTimeOffset Start, DateTimeOffset End)? Span(ReleaseRow r, int step) => step switch
    {
        1 when r.UnverifiedAt is { } end => (r.CreatedAt, end),
        2 when r.UnverifiedAt is { } start && r.VerifiedAt is { } end => (start, end),
        3 when r.VerifiedAt is { } start && r.ClosedAt is { } end => (start, end),
        4 when r.ClosedAt is { } end => (r.CreatedAt, end),
        _ => null,
    };

    /// <summary>The step under way: its number and start (or null when the release is not in one of steps 1–3).</summary>
    public static (int Step, DateTimeOffset Start)? Current(ReleaseRow r) => r.State switch
    {
        TicketState.Certified => (1, r.CreatedAt),
        TicketState.Unverified when r.UnverifiedAt is { } at => (2, at),
        TicketState.Verified or TicketState.RollingOut when r.VerifiedAt is { } at => (3, at),
        _ => null,
    };

    /// <summary>The Table 3 deadline of a step started at <paramref name="start"/>; step 3 includes the grace period.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DateTimeOffset Deadline(ReleaseType type, int step, DateTimeOffset start, WorkingCalendar calendar) =>
        type.Timeline().Due((TimelineStep)step, start, calendar);
}
