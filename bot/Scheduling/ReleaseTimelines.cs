namespace Rollout.Bot.Scheduling;

/// <summary>
/// A time target: working days (fractions are working hours, 0.5 = 4 hours of an 8-hour day) on a working calendar,
/// or elapsed wall-clock time for emergencies.
/// </summary>
public sealed record TimeTarget(decimal WorkingDays, TimeSpan? WallClock = null)
{
    public static TimeTarget Working(decimal days) => new(days);
    public static TimeTarget Hours(double hours) => new(0, TimeSpan.FromHours(hours));

    public bool IsZero => WorkingDays == 0 && WallClock is null;

    public DateTimeOffset DeadlineFrom(DateTimeOffset start, WorkingCalendar calendar) =>
        WallClock is { } elapsed ? WorkingCalendar.AddWallClock(start, elapsed) : calendar.AddWorkingDays(start, WorkingDays);

    /// <summary>How people read it: "1 working day", "2.5 hours".</summary>
    public string Describe() => WallClock is { } h
        ? $"{h.TotalHours.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} hour{(h.TotalHours == 1 ? "" : "s")}"
        : $"{WorkingDays.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} working day{(WorkingDays == 1 ? "" : "s")}";
}

/// <summary>The Table 3 steps, as timers, metrics, the status page and /deadlines number them.</summary>
public enum TimelineStep { Repository = 1, Verification = 2, StagedRollout = 3, Total = 4 }

/// <summary>
/// One row of seed 002 Table 3 for a release type, and the one rule every surface computes its deadlines with: each
/// step's clock starts at the instant the ticket entered the step (opened, unverified, verified; the total at opening),
/// so the reminders, the metrics, the status page and <c>/deadlines</c> always name the same instant.
/// </summary>
public sealed record ReleaseTimeline(string ReleaseType, TimeTarget Repository, TimeTarget Verification, TimeTarget StagedRollout,
    TimeTarget GracePeriod, TimeTarget Acceptance, TimeTarget Total)
{
    /// <summary>When the step started at <paramref name="start"/> is due. Step 3 starts at verification and includes the grace period.</summary>
    public DateTimeOffset Due(TimelineStep step, DateTimeOffset start, WorkingCalendar calendar) => step switch
    {
        TimelineStep.Repository => Repository.DeadlineFrom(start, calendar),
        TimelineStep.Verification => Verification.DeadlineFrom(start, calendar),
        TimelineStep.StagedRollout => WithGrace(StagedRollout.DeadlineFrom(start, calendar), calendar),
        TimelineStep.Total => Total.DeadlineFrom(start, calendar),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    /// <summary>§2.4 3.2: by when a site should accept a release verified at <paramref name="verifiedAt"/>.</summary>
    public DateTimeOffset AcceptanceDue(DateTimeOffset verifiedAt, WorkingCalendar calendar) => Acceptance.DeadlineFrom(verifiedAt, calendar);

    /// <summary>
    /// A site's own report: the staged-rollout time plus the grace period, counted from its acceptance on its calendar
    /// (a site that accepts late is not blamed for the days before it took part; the ticket's step 3 still counts from verification).
    /// </summary>
    public DateTimeOffset ReportDue(DateTimeOffset acceptedAt, WorkingCalendar calendar) => Due(TimelineStep.StagedRollout, acceptedAt, calendar);

    /// <summary>One working day before the report is due, inside the grace period; null when there is no grace period (emergencies).</summary>
    public DateTimeOffset? ReportReminderAt(DateTimeOffset acceptedAt, WorkingCalendar calendar) => GracePeriod.WorkingDays >= 1
        ? calendar.AddWorkingDays(StagedRollout.DeadlineFrom(acceptedAt, calendar), GracePeriod.WorkingDays - 1)
        : null;

    private DateTimeOffset WithGrace(DateTimeOffset end, WorkingCalendar calendar) => GracePeriod.IsZero ? end : GracePeriod.DeadlineFrom(end, calendar);
}

/// <summary>The staged-rollout time rules of seed 002 §2.4 and Table 3, for the tickets workflow to compute deadlines with.</summary>
public static class ReleaseTimelines
{
    /// <summary>§2.4 3.2: an early adopter accepts the ticket within one working day after the notification.</summary>
    public static readonly TimeTarget Acceptance = TimeTarget.Working(1);

    /// <summary>§2.4 3.8: up to five working days of exposure in production before the ticket is closed.</summary>
    public static readonly TimeTarget GracePeriod = TimeTarget.Working(5);

    private static readonly TimeTarget NoGrace = TimeTarget.Working(0);

    /// <summary>
    /// Table 3 gives an emergency 2.5 hours for the whole staged-rollout step, so one working day to accept cannot
    /// apply: a site accepts within the first hour, leaving the rest of the step to install and report.
    /// </summary>
    public static readonly TimeTarget EmergencyAcceptance = TimeTarget.Hours(1);

    /// <summary>
    /// Table 3. The "up to" values are the targets; emergencies are in wall-clock hours because they run around the
    /// clock ("0.4 days (3 hours)"), the others in working days ("0.5 days (4 hours)" is half a working day). The
    /// totals are Table 3's own column (1 / 9 / 11 / 22 days), a little less than the sum of the steps; an
    /// emergency's "1 day" is its steps' 8 hours.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ReleaseTimeline> Table3 = new Dictionary<string, ReleaseTimeline>(StringComparer.OrdinalIgnoreCase)
    {
        ["emergency"] = new("emergency", TimeTarget.Hours(3), TimeTarget.Hours(2.5), TimeTarget.Hours(2.5), NoGrace, EmergencyAcceptance, TimeTarget.Hours(8)),
        ["revision"] = new("revision", TimeTarget.Working(0.5m), TimeTarget.Working(2), TimeTarget.Working(2), GracePeriod, Acceptance, TimeTarget.Working(9)),
        ["minor"] = new("minor", TimeTarget.Working(0.5m), TimeTarget.Working(3), TimeTarget.Working(3), GracePeriod, Acceptance, TimeTarget.Working(11)),
        ["major"] = new("major", TimeTarget.Working(0.5m), TimeTarget.Working(10), TimeTarget.Working(7), GracePeriod, Acceptance, TimeTarget.Working(22)),
    };
}
