using NodaTime;
using NodaTime.TimeZones;

namespace Rollout.Bot.Scheduling;

/// <summary>
/// One occurrence of a meeting and the instant its bulletin is due (both UTC). <see cref="Date"/> is the local date
/// the series gives it, which stays its name when a coordinator moves it: agendas and minutes hang on it.
/// </summary>
public sealed record MeetingOccurrence(Meeting Meeting, DateTimeOffset Start, DateTimeOffset BulletinAt)
{
    public LocalDate Date { get; init; } = Instant.FromDateTimeOffset(Start).InZone(Meeting.Zone).Date;
    public bool Moved { get; init; }
    public DateTimeOffset End => Start + Meeting.Length.ToTimeSpan();
    public LocalDateTime LocalStart => Instant.FromDateTimeOffset(Start).InZone(Meeting.Zone).LocalDateTime;
    public LocalDateTime LocalBulletinAt => Instant.FromDateTimeOffset(BulletinAt).InZone(Meeting.Zone).LocalDateTime;
}

/// <summary>How a meeting repeats (seed 003: daily operations, fortnightly coordination, quarterly planning; kick-offs once).</summary>
public enum Recurrence { Daily, Weekly, Fortnightly, Quarterly, Once }

/// <summary>One occurrence taken out of its series: cancelled, or moved to another local start.</summary>
public sealed record OccurrenceChange(LocalDate Date, LocalDateTime? MovedTo);

/// <summary>
/// A meeting (seed 000 "Calendar", seed 003 "Meetings"): daily on working days, weekly or fortnightly on one day,
/// quarterly from its anchor date, or once on it; at one local time, for <see cref="Length"/>. The bulletin is due
/// the lead time earlier in local wall time, so a 16:00 meeting with a 2-hour lead has its bulletin at 14:00 whatever
/// the daylight-saving offset. Single occurrences can be cancelled or moved without touching the series.
/// </summary>
public sealed record Meeting(
    string Name, int EveryWeeks, IsoDayOfWeek Day, LocalTime Time, DateTimeZone Zone, string Channel, Duration BulletinLead, LocalDate? Anchor)
{
    /// <summary>Reads a validated <see cref="MeetingOption"/>; an empty time zone means the coordinators' zone.</summary>
    public static Meeting From(MeetingOption o, DateTimeZone defaultZone)
    {
        var recurs = SchedulingOptionsValidator.Recurs(o.Every)!.Value;
        var anchor = SchedulingOptionsValidator.Date(o.Anchor);
        return new(
            o.Name.Trim(),
            recurs == Recurrence.Fortnightly ? 2 : 1,
            SchedulingOptionsValidator.Day(o.Day) ?? anchor?.DayOfWeek ?? IsoDayOfWeek.Monday,
            SchedulingOptionsValidator.Time(o.Time)!.Value,
            SchedulingOptionsValidator.Zone(o.TimeZone) ?? defaultZone,
            o.Channel.Trim(),
            SchedulingOptionsValidator.Lead(o.BulletinLead)!.Value,
            anchor)
        {
            Recurs = recurs,
            Length = SchedulingOptionsValidator.Length(o.Length)!.Value,
            Room = string.IsNullOrWhiteSpace(o.Room) ? null : o.Room.Trim(),
            Chairs = o.Chairs.Select(c => c.Trim()).Where(c => c.Length > 0).ToList(),
            Secretaries = o.Secretaries.Select(c => c.Trim()).Where(c => c.Length > 0).ToList(),
            HasBulletin = o.Bulletin,
        };
    }

    /// <summary>The stored meeting's id (0 for one built from configuration and not stored yet).</summary>
    public long Id { get; init; }
    public Recurrence Recurs { get; init; } = EveryWeeks == 2 ? Recurrence.Fortnightly : Recurrence.Weekly;
    public Duration Length { get; init; } = Duration.FromHours(1);
    public string? Room { get; init; }
    public IReadOnlyList<string> Chairs { get; init; } = [];
    public IReadOnlyList<string> Secretaries { get; init; } = [];
    public bool HasBulletin { get; init; } = true;
    /// <summary>Days a daily meeting skips besides weekends: the coordinators' holidays.</summary>
    public IReadOnlySet<LocalDate> Holidays { get; init; } = new HashSet<LocalDate>();
    public IReadOnlyList<OccurrenceChange> Changes { get; init; } = [];

    public string Every => Recurs switch
    {
        Recurrence.Daily => "daily on working days",
        Recurrence.Weekly => "weekly",
        Recurrence.Fortnightly => "fortnightly",
        Recurrence.Quarterly => "quarterly",
        _ => "once",
    };

    /// <summary>The usual gap between two occurrences: what a first bulletin looks back over.</summary>
    public int IntervalDays => Recurs switch { Recurrence.Daily => 1, Recurrence.Fortnightly => 14, Recurrence.Quarterly => 91, _ => 7 };

    /// <summary>The longest gap between two occurrences of the series, for looking back at the latest one.</summary>
    public int MaxGapDays => Recurs switch { Recurrence.Daily => 14, Recurrence.Weekly => 7, Recurrence.Fortnightly => 14, _ => 93 };

    /// <summary>Whether the series has an occurrence on this local date (before cancellations and moves).</summary>
    public bool OccursOn(LocalDate date)
    {
        switch (Recurs)
        {
            case Recurrence.Daily: return !Scheduling.WorkingCalendar.IsWeekend(date) && !Holidays.Contains(date);
            case Recurrence.Once: return date == Anchor;
            case Recurrence.Quarterly:
                if (Anchor is not { } a) return false;
                var months = (date.Year - a.Year) * 12 + date.Month - a.Month;
                return months % 3 == 0 && a.PlusMonths(months) == date;
        }
        if (date.DayOfWeek != Day) return false;
        if (EveryWeeks == 1 || Anchor is null) return true;
        var days = Period.DaysBetween(Anchor.Value, date);
        return ((days % (7 * EveryWeeks)) + 7 * EveryWeeks) % (7 * EveryWeeks) == 0;
    }

    public MeetingOccurrence On(LocalDate date) => At(date, date + Time, moved: false);

    private MeetingOccurrence At(LocalDate date, LocalDateTime start, bool moved)
    {
        var bulletin = start.Minus(Period.FromTicks(BulletinLead.BclCompatibleTicks));
        return new(this,
            Zone.ResolveLocal(start, Resolvers.LenientResolver).ToInstant().ToDateTimeOffset(),
            Zone.ResolveLocal(bulletin, Resolvers.LenientResolver).ToInstant().ToDateTimeOffset()) { Date = date, Moved = moved };
    }

    /// <summary>The next date on or after <paramref name="from"/> the series meets on, or null when it never will again.</summary>
    private LocalDate? NextDate(LocalDate from)
    {
        if (Recurs == Recurrence.Once) return Anchor is { } once && once >= from ? once : null;
        if (Recurs == Recurrence.Quarterly)
        {
            if (Anchor is not { } a) return null;
            var k = Math.Max(0, ((from.Year - a.Year) * 12 + from.Month - a.Month) / 3 - 1);
            while (a.PlusMonths(3 * k) < from) k++;
            return a.PlusMonths(3 * k);
        }
        var d = from;
        for (var i = 0; i < 400 && !OccursOn(d); i++) d = d.PlusDays(1);
        return OccursOn(d) ? d : null;
    }

    /// <summary>The occurrences that start after <paramref name="after"/>, in order (cancelled ones left out, moved ones where they went).</summary>
    public IEnumerable<MeetingOccurrence> OccurrencesAfter(DateTimeOffset after)
    {
        var changed = Changes.ToDictionary(c => c.Date);
        var moved = new Queue<MeetingOccurrence>(Changes.Where(c => c.MovedTo is not null)
            .Select(c => At(c.Date, c.MovedTo!.Value, moved: true)).Where(o => o.Start > after).OrderBy(o => o.Start));
        var date = NextDate(Instant.FromDateTimeOffset(after).InZone(Zone).Date.PlusDays(-1));
        while (date is { } d)
        {
            var regular = On(d);
            date = NextDate(d.PlusDays(1));
            if (changed.ContainsKey(d) || regular.Start <= after) continue;
            while (moved.Count > 0 && moved.Peek().Start <= regular.Start) yield return moved.Dequeue();
            yield return regular;
        }
        while (moved.Count > 0) yield return moved.Dequeue();
    }

    /// <summary>The occurrences whose start falls on a local date in [from, to].</summary>
    public IEnumerable<MeetingOccurrence> OccurrencesBetween(LocalDate from, LocalDate to)
    {
        var after = Zone.AtStartOfDay(from).ToDateTimeOffset().AddTicks(-1);
        return OccurrencesAfter(after).TakeWhile(o => o.LocalStart.Date <= to);
    }

    /// <summary>The occurrence the series gives <paramref name="date"/>, wherever it was moved; null when cancelled or not a meeting day.</summary>
    public MeetingOccurrence? Occurrence(LocalDate date)
    {
        var change = Changes.FirstOrDefault(c => c.Date == date);
        if (change is not null) return change.MovedTo is { } to ? At(date, to, moved: true) : null;
        return OccursOn(date) ? On(date) : null;
    }
}

public enum BulletinAction { Post, Skip, NotDue }

public sealed record BulletinDecision(BulletinAction Action, MeetingOccurrence? Occurrence, TimeSpan Lateness);

public static class BulletinRule
{
    /// <summary>Quartz may fire a moment before the scheduled second; a bulletin this close to due counts as due.</summary>
    public static readonly TimeSpan EarlyTolerance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What to do when the bulletin sweep runs at <paramref name="now"/>: post the bulletin of the latest occurrence
    /// that is due, unless its meeting has already started (late by more than the lead time): then skip it, never
    /// post it late. Only the latest due occurrence is considered, so a long outage never posts a burst. A meeting
    /// whose bulletin is switched off never gets one.
    /// </summary>
    public static BulletinDecision Decide(Meeting meeting, DateTimeOffset now)
    {
        if (!meeting.HasBulletin) return new(BulletinAction.NotDue, null, TimeSpan.Zero);
        var lookBack = now - TimeSpan.FromDays(meeting.MaxGapDays + 7) - meeting.BulletinLead.ToTimeSpan();
        var due = meeting.OccurrencesAfter(lookBack)
            .TakeWhile(o => o.BulletinAt <= now + EarlyTolerance)
            .LastOrDefault();
        if (due is null) return new(BulletinAction.NotDue, null, TimeSpan.Zero);
        var lateness = now - due.BulletinAt;
        return now < due.Start
            ? new(BulletinAction.Post, due, lateness < TimeSpan.Zero ? TimeSpan.Zero : lateness)
            : new(BulletinAction.Skip, due, lateness);
    }
}
