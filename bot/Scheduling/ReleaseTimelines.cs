namespace Rollout.Bot.Scheduling;

/// <summary>
/// A time target: working days (fractions are working hours, 0.5 = 4 hours of an 8-hour day) on a working calendar,
/// or elapsed wall-clock time for emergencies.
/// </summary>
public sealed record TimeTarget(decimal WorkingDays, TimeSpan? WallClock = null)
{
    public static TimeTarget Working(decimal days) => new(days);
    public static TimeTarget Hours(double hours) => new(0, TimeSpan.FromHours(hours));

    public DateTimeOffset DeadlineFrom(DateTimeOffset start, WorkingCalendar calendar) =>
        WallClock is { } elapsed ? WorkingCalendar.AddWallClock(start, elapsed) : calendar.AddWorkingDays(start, WorkingDays);
}

/// <summary>One row of seed 002 Table 3: the expected time of each major step for a release type.</summary>
public sealed record ReleaseTimeline(string ReleaseType, TimeTarget Repository, TimeTarget Verification, TimeTarget StagedRollout, TimeTarget GracePeriod);

/// <summary>The staged-rollout time rules of seed 002 §2.4 and Table 3, for the tickets workflow to compute deadlines with.</summary>
public static class ReleaseTimelines
{
    /// <summary>§2.4 3.2: an early adopter accepts the ticket within one working day after the notification.</summary>
    public static readonly TimeTarget Acceptance = TimeTarget.Working(1);

    /// <summary>§2.4 3.8: up to five working days of exposure in production before the ticket is closed.</summary>
    public static readonly TimeTarget GracePeriod = TimeTarget.Working(5);

    private static readonly TimeTarget NoGrace = TimeTarget.Working(0);

    /// <summary>
    /// Table 3. The "up to" values are the targets; emergencies are in wall-clock hours because they run around the
    /// clock ("0.4 days (3 hours)"), the others in working days ("0.5 days (4 hours)" is half a working day).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, ReleaseTimeline> Table3 = new Dictionary<string, ReleaseTimeline>(StringComparer.OrdinalIgnoreCase)
    {
        ["emergency"] = new("emergency", TimeTarget.Hours(3), TimeTarget.Hours(2.5), TimeTarget.Hours(2.5), NoGrace),
        ["revision"] = new("revision", TimeTarget.Working(0.5m), TimeTarget.Working(2), TimeTarget.Working(2), GracePeriod),
        ["minor"] = new("minor", TimeTarget.Working(0.5m), TimeTarget.Working(3), TimeTarget.Working(3), GracePeriod),
        ["major"] = new("major", TimeTarget.Working(0.5m), TimeTarget.Working(10), TimeTarget.Working(7), GracePeriod),
    };
}
