using System.Runtime.CompilerServices;
using NodaTime;
using NodaTime.TimeZones;

namespace Rollout.Bot.Scheduling;

/// <summary>
/// Working days and hours in one time zone: weekends and holidays are not working days. Deadlines are computed on
/// local wall time, so a daylight-saving change never moves a deadline by an hour. Results are UTC instants (as
/// <see cref="DateTimeOffset"/> with offset zero) so that they compare correctly wherever they are stored.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<LocalDate> _holidays;

    /// <summary>The holidays that fall on weekdays, as <see cref="DateOnly.DayNumber"/>s in ascending order.</summary>
    private readonly int[] _weekdayHolidays;

    public WorkingCalendar(DateTimeZone zone, IEnumerable<LocalDate> holidays, LocalTime dayStart, LocalTime dayEnd)
    {
        if (dayEnd <= dayStart) throw new ArgumentException("The working day must end after it starts.", nameof(dayEnd));
        Zone = zone;
        DayStart = dayStart;
        DayEnd = dayEnd;
        _holidays = holidays.ToHashSet();
        _weekdayHolidays = _holidays.Where(d => !IsWeekend(d)).Select(d => d.ToDateOnly().DayNumber).Order().ToArray();
    }

    public DateTimeZone Zone { get; }
    public LocalTime DayStart { get; }
    public LocalTime DayEnd { get; }
    public IReadOnlySet<LocalDate> Holidays => _holidays;

    /// <summary>The length of one working day (8 hours for 09:00–17:00); fractional working days are counted in it.</summary>
    public TimeSpan WorkingDayLength => TimeSpan.FromTicks(DayEnd.TickOfDay - DayStart.TickOfDay);

    public static bool IsWeekend(LocalDate date) => date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

    public bool IsHoliday(LocalDate date) => _holidays.Contains(date);

    public bool IsWorkingDay(LocalDate date) => !IsWeekend(date) && !IsHoliday(date);

    public LocalDate NextWorkingDay(LocalDate date) => WorkingDaysAfter(date, 1);

    /// <summary>
    /// The <paramref name="days"/>-th working day after <paramref name="date"/> (the date itself for 0). Weekends are
    /// skipped by arithmetic, then the weekday holidays passed over are added as further working days, until none is
    /// passed: a few binary searches instead of a step per calendar day (metrics compute several hundred thousand).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LocalDate WorkingDaysAfter(LocalDate date, int days)
    {
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), days, "Working days cannot be negative.");
        if (days == 0) return date;
        var from = date.ToDateOnly().DayNumber;
        while (true)
        {
            var to = WeekdaysAfter(from, days);
            var skipped = HolidaysUpTo(to) - HolidaysUpTo(from);
            if (skipped == 0) return LocalDate.FromDateOnly(DateOnly.FromDayNumber(to));
            (from, days) = (to, skipped);
        }
    }

    /// <summary>The <paramref name="days"/>-th weekday (Monday to Friday) after day number <paramref name="day"/>; day 0 was a Monday.</summary>
    private static int WeekdaysAfter(int day, int days)
    {
        var weekday = day % 7;
        if (weekday > 4) (day, weekday) = (day - (weekday - 4), 4); // from a weekend, count as from the Friday before it
        return day + days + 2 * ((weekday + days) / 5);
    }

    /// <summary>How many weekday holidays fall on or before day number <paramref name="day"/>.</summary>
    private int HolidaysUpTo(int day)
    {
        var at = Array.BinarySearch(_weekdayHolidays, day);
        return at >= 0 ? at + 1 : ~at;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LocalDateTime ToLocal(DateTimeOffset instant) => Instant.FromDateTimeOffset(instant).InZone(Zone).LocalDateTime;

    /// <summary>
    /// Local wall time to an instant. Skipped times (spring forward) move forward by the gap and ambiguous times
    /// (fall back) take the earlier instant; working hours in Europe never meet either, other zones may.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DateTimeOffset ToInstant(LocalDateTime local) =>
        Zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant().ToDateTimeOffset();

    /// <summary>
    /// Where counting starts: the start itself when it falls in working hours of a working day, otherwise the
    /// next working morning (before opening: this morning; after closing, weekends, holidays: the next working day).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LocalDateTime CountingStart(DateTimeOffset start)
    {
        var local = ToLocal(start);
        if (IsWorkingDay(local.Date))
        {
            if (local.TimeOfDay < DayStart) return local.Date + DayStart;
            if (local.TimeOfDay < DayEnd) return local;
        }
        return NextWorkingDay(local.Date) + DayStart;
    }

    /// <summary>The same local time on the <paramref name="days"/>-th following working day, counted from <see cref="CountingStart"/>.</summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => ToInstant(AddWorkingDays(CountingStart(start), days));

    /// <summary>
    /// Whole working days as in <see cref="AddWorkingDays(DateTimeOffset,int)"/>, then the fraction as working hours:
    /// 0.5 working day is half of <see cref="WorkingDayLength"/> (4 hours), counted only inside working hours.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, decimal days)
    {
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), days, "Working days cannot be negative.");
        var whole = (int)decimal.Floor(days);
        var fraction = days - whole;
        var local = AddWorkingDays(CountingStart(start), whole);
        var ticks = (long)decimal.Round(fraction * WorkingDayLength.Ticks);
        return ToInstant(AddWorkingTicks(local, ticks));
    }

    /// <summary>
    /// Counts <paramref name="hours"/> only inside working hours of working days. A count that ends exactly at
    /// closing time ends there (17:00), not at the next morning.
    /// </summary>
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, TimeSpan hours)
    {
        if (hours < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(hours), hours, "Working hours cannot be negative.");
        return ToInstant(AddWorkingTicks(CountingStart(start), hours.Ticks));
    }

    /// <summary>Plain elapsed time, for emergency releases whose targets are wall-clock hours (seed 002, Table 3).</summary>
    public static DateTimeOffset AddWallClock(DateTimeOffset start, TimeSpan duration) => (start + duration).ToUniversalTime();

    /// <summary>Working days from <paramref name="from"/>'s date (exclusive) to <paramref name="to"/>'s date (inclusive).</summary>
    public int WorkingDaysBetween(LocalDate from, LocalDate to)
    {
        var count = 0;
        for (var d = from.PlusDays(1); d <= to; d = d.PlusDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LocalDateTime AddWorkingDays(LocalDateTime countingStart, int days)
    {
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), days, "Working days cannot be negative.");
        return WorkingDaysAfter(countingStart.Date, days) + countingStart.TimeOfDay;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LocalDateTime AddWorkingTicks(LocalDateTime countingStart, long ticks)
    {
        var current = countingStart;
        var remaining = ticks;
        while (true)
        {
            var available = DayEnd.TickOfDay - current.TimeOfDay.TickOfDay;
            if (remaining <= available) return current.PlusTicks(remaining);
            remaining -= available;
            current = NextWorkingDay(current.Date) + DayStart;
        }
    }
}
