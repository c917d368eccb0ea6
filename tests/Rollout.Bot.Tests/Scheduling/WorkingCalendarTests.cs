using NodaTime;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tests.Scheduling;

public sealed class WorkingCalendarTests
{
    // 2026-11-23 is a Monday. 24 and 25 December 2026 are holidays in the calendar under test.
    private static readonly WorkingCalendar Calendar = Zurich.Calendar("2026-12-24", "2026-12-25");

    [Theory]
    [InlineData("2026-11-23 10:00", 1, "2026-11-24 10:00")] // Monday → Tuesday, same local time
    [InlineData("2026-11-27 10:00", 1, "2026-11-30 10:00")] // Friday → Monday over the weekend
    [InlineData("2026-11-27 10:00", 5, "2026-12-04 10:00")] // five working days: grace period
    [InlineData("2026-11-23 16:59", 1, "2026-11-24 16:59")] // last minute of the working day still counts as today
    [InlineData("2026-11-23 07:30", 1, "2026-11-24 09:00")] // before opening: counts from this morning
    [InlineData("2026-11-23 17:00", 1, "2026-11-25 09:00")] // at closing: counts from tomorrow morning
    [InlineData("2026-11-28 11:00", 1, "2026-12-01 09:00")] // Saturday: counts from Monday morning
    [InlineData("2026-11-28 11:00", 0, "2026-11-30 09:00")] // zero days: the next working morning
    [InlineData("2026-12-23 10:00", 1, "2026-12-28 10:00")] // over two holidays and a weekend
    [InlineData("2026-12-24 10:00", 1, "2026-12-29 09:00")] // on a holiday: counts from the next working morning
    [InlineData("2026-03-27 10:00", 1, "2026-03-30 10:00")] // over the spring DST change (29 March 2026)
    [InlineData("2026-10-23 10:00", 1, "2026-10-26 10:00")] // over the autumn DST change (25 October 2026)
    public void AddWorkingDays_KeepsLocalTimeOnTheNthWorkingDay(string start, int days, string expected)
    {
        var deadline = Calendar.AddWorkingDays(Zurich.At(start), days);

        Assert.Equal(expected, Zurich.Local(deadline));
        Assert.Equal(TimeSpan.Zero, deadline.Offset);
    }

    [Fact]
    public void WorkingDaysAfter_IsTheWorkingDayReachedByStepping_FromEveryDayOfTwoYears()
    {
        // Holidays on weekdays, on a weekend, back to back, and a whole week of them, so the skipping meets each case.
        var calendar = Zurich.Calendar("2026-01-01", "2026-01-02", "2026-04-03", "2026-04-06", "2026-08-01", "2026-12-24", "2026-12-25",
            "2026-12-26", "2027-07-12", "2027-07-13", "2027-07-14", "2027-07-15", "2027-07-16", "2027-12-31");
        for (var date = new LocalDate(2025, 12, 1); date < new LocalDate(2028, 1, 1); date = date.PlusDays(1))
        {
            var stepped = date;
            for (var days = 0; days <= 12; days++)
            {
                Assert.True(calendar.WorkingDaysAfter(date, days) == stepped, $"{days} working days after {date:uuuu-MM-dd}: expected {stepped:uuuu-MM-dd}, got {calendar.WorkingDaysAfter(date, days):uuuu-MM-dd}");
                do stepped = stepped.PlusDays(1); while (!calendar.IsWorkingDay(stepped));
            }
        }
    }

    [Theory]
    [InlineData("2026-03-27 10:00", "2026-03-30 08:00")] // CET +01:00 → CEST +02:00
    [InlineData("2026-10-23 10:00", "2026-10-26 09:00")] // CEST +02:00 → CET +01:00
    public void AddWorkingDays_OverDaylightSavingChange_MovesTheUtcInstantNotTheWallTime(string start, string expectedUtc)
    {
        var deadline = Calendar.AddWorkingDays(Zurich.At(start), 1);

        Assert.Equal(expectedUtc, deadline.UtcDateTime.ToString("yyyy-MM-dd HH:mm"));
    }

    [Theory]
    [InlineData("2026-11-23 09:00", "0.5", "2026-11-23 13:00")] // half a working day = 4 working hours
    [InlineData("2026-11-23 15:00", "0.5", "2026-11-24 11:00")] // 2 hours today, 2 tomorrow
    [InlineData("2026-11-27 14:00", "0.375", "2026-11-27 17:00")] // ending exactly at closing stays today
    [InlineData("2026-11-27 15:00", "0.5", "2026-11-30 11:00")] // over the weekend
    [InlineData("2026-11-23 10:00", "1.5", "2026-11-24 14:00")] // one day, then four hours
    [InlineData("2026-11-23 10:00", "2", "2026-11-25 10:00")] // whole numbers match AddWorkingDays(int)
    [InlineData("2026-12-23 15:00", "0.5", "2026-12-28 11:00")] // over holidays
    public void AddWorkingDays_Fractional_CountsTheFractionInWorkingHours(string start, string days, string expected)
    {
        var deadline = Calendar.AddWorkingDays(Zurich.At(start), decimal.Parse(days, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, Zurich.Local(deadline));
    }

    [Theory]
    [InlineData("2026-11-23 16:00", 3, "2026-11-24 11:00")]
    [InlineData("2026-11-28 10:00", 2, "2026-11-30 11:00")] // Saturday: from Monday morning
    [InlineData("2026-11-23 09:00", 8, "2026-11-23 17:00")]
    public void AddWorkingHours_CountsOnlyInsideWorkingHours(string start, int hours, string expected)
    {
        Assert.Equal(expected, Zurich.Local(Calendar.AddWorkingHours(Zurich.At(start), TimeSpan.FromHours(hours))));
    }

    [Fact]
    public void AddWallClock_ForEmergencies_CountsElapsedTimeAcrossTheSpringGap()
    {
        // 02:00–03:00 does not exist on 29 March 2026 in Zurich: three elapsed hours from 01:00 end at 05:00 local.
        var deadline = WorkingCalendar.AddWallClock(Zurich.At("2026-03-29 01:00"), TimeSpan.FromHours(3));

        Assert.Equal("2026-03-29 05:00", Zurich.Local(deadline));
    }

    [Fact]
    public void SiteCalendar_UsesItsOwnZoneAndHolidays()
    {
        var taipei = DateTimeZoneProviders.Tzdb["Asia/Taipei"];
        var site = Zurich.Calendar(taipei, "2026-11-24");

        var deadline = site.AddWorkingDays(Zurich.At("2026-11-23 10:00", taipei), 1);

        Assert.Equal("2026-11-25 10:00", Zurich.Local(deadline, taipei));
        Assert.Equal("2026-11-25 03:00", Zurich.Local(deadline)); // the same instant on the coordinators' clock
    }

    [Fact]
    public void NegativeWorkingDays_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(Zurich.At("2026-11-23 10:00"), -1m));
    }

    [Fact]
    public void WorkingDaysBetween_SkipsWeekendsAndHolidays()
    {
        Assert.Equal(3, Calendar.WorkingDaysBetween(new LocalDate(2026, 12, 21), new LocalDate(2026, 12, 28)));
    }
}
