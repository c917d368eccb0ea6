using NodaTime;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tests.Scheduling;

public sealed class MeetingTests
{
    private static readonly Meeting Operations = new("Operations meeting", 1, IsoDayOfWeek.Monday, new LocalTime(16, 0),
        Zurich.Zone, "operations", Duration.FromHours(2), null);

    private static readonly Meeting Tier1 = new("Tier1 service coordination", 2, IsoDayOfWeek.Thursday, new LocalTime(15, 30),
        Zurich.Zone, "operations", Duration.FromHours(2), new LocalDate(2026, 11, 26));

    [Theory]
    [InlineData("2026-03-28 12:00", "2026-03-30 14:00", "2026-03-30 12:00")] // Monday after the spring change: UTC+2
    [InlineData("2026-03-21 12:00", "2026-03-23 14:00", "2026-03-23 13:00")] // Monday before it: UTC+1
    [InlineData("2026-10-24 12:00", "2026-10-26 14:00", "2026-10-26 13:00")] // Monday after the autumn change: UTC+1
    [InlineData("2026-10-17 12:00", "2026-10-19 14:00", "2026-10-19 12:00")] // Monday before it: UTC+2
    public void MondayMeetingWithTwoHourLead_HasItsBulletinAtTwoLocalOnEitherSideOfDst(string after, string bulletinLocal, string bulletinUtc)
    {
        var next = Operations.OccurrencesAfter(Zurich.At(after)).First();

        Assert.Equal(bulletinLocal, Zurich.Local(next.BulletinAt));
        Assert.Equal(bulletinUtc, next.BulletinAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm"));
        Assert.Equal(new LocalTime(16, 0), next.LocalStart.TimeOfDay);
    }

    [Fact]
    public void OccurrencesAfter_ExcludesAMeetingThatStartsExactlyThen()
    {
        var next = Operations.OccurrencesAfter(Zurich.At("2026-11-23 16:00")).First();

        Assert.Equal("2026-11-30 16:00", Zurich.Local(next.Start));
    }

    [Fact]
    public void Fortnightly_CountsEverySecondWeekFromItsAnchor()
    {
        var next = Tier1.OccurrencesAfter(Zurich.At("2026-11-22 12:00")).Take(3).Select(o => Zurich.Local(o.Start));

        Assert.Equal(["2026-11-26 15:30", "2026-12-10 15:30", "2026-12-24 15:30"], next);
        Assert.True(Tier1.OccursOn(new LocalDate(2026, 11, 12)));  // before the anchor as well
        Assert.False(Tier1.OccursOn(new LocalDate(2026, 11, 19)));
    }

    [Theory]
    [InlineData("2026-11-30 14:00", BulletinAction.Post, "2026-11-30 16:00")] // on time
    [InlineData("2026-11-30 15:59", BulletinAction.Post, "2026-11-30 16:00")] // late, but before the meeting
    [InlineData("2026-11-30 13:59:30", BulletinAction.Post, "2026-11-30 16:00")] // Quartz a moment early
    [InlineData("2026-11-30 16:00", BulletinAction.Skip, "2026-11-30 16:00")] // missed by its lead time
    [InlineData("2026-12-03 09:00", BulletinAction.Skip, "2026-11-30 16:00")] // bot was down for days: one skip, no burst
    public void Decide_PostsUntilTheMeetingStartsThenSkips(string now, BulletinAction expected, string meeting)
    {
        var decision = BulletinRule.Decide(Operations, Zurich.At(now[..16]).AddSeconds(now.Length > 16 ? int.Parse(now[17..]) : 0));

        Assert.Equal(expected, decision.Action);
        Assert.Equal(meeting, Zurich.Local(decision.Occurrence!.Start));
    }

    [Fact]
    public void ValidatorNamesTheKeyOfABadMeeting()
    {
        var options = new SchedulingOptions
        {
            Enabled = false,
            Meetings = [new MeetingOption { Name = "Tier1", Every = "fortnightly", Day = "Thursday", Time = "25:00" }],
            Holidays = [new HolidayOption { Date = "24.12.2026", Name = "Closure" }],
        };

        var result = new SchedulingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("Scheduling:Meetings:0:Time"));
        Assert.Contains(result.Failures!, f => f.Contains("Scheduling:Meetings:0:Anchor"));
        Assert.Contains(result.Failures!, f => f.Contains("Scheduling:Holidays:0:Date") && f.Contains("yyyy-MM-dd"));
    }
}
