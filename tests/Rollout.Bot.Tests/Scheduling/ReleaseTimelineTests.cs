using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tests.Scheduling;

public sealed class ReleaseTimelineTests
{
    private static readonly WorkingCalendar Calendar = Zurich.Calendar("2026-12-24", "2026-12-25");

    [Theory]
    [InlineData("emergency", "2026-11-27 22:00", "2026-11-28 01:00", "2026-11-28 00:30", "2026-11-28 00:30")] // around the clock
    [InlineData("revision", "2026-11-27 15:00", "2026-11-30 11:00", "2026-12-01 15:00", "2026-12-01 15:00")]
    [InlineData("minor", "2026-11-23 10:00", "2026-11-23 14:00", "2026-11-26 10:00", "2026-11-26 10:00")]
    [InlineData("major", "2026-12-21 10:00", "2026-12-21 14:00", "2027-01-06 10:00", "2027-01-01 10:00")] // over the closure
    public void Table3_TargetsFromOneStart(string type, string start, string repository, string verification, string stagedRollout)
    {
        var row = ReleaseTimelines.Table3[type];
        var from = Zurich.At(start);

        Assert.Equal(repository, Zurich.Local(row.Repository.DeadlineFrom(from, Calendar)));
        Assert.Equal(verification, Zurich.Local(row.Verification.DeadlineFrom(from, Calendar)));
        Assert.Equal(stagedRollout, Zurich.Local(row.StagedRollout.DeadlineFrom(from, Calendar)));
    }

    [Fact]
    public void AcceptanceIsOneWorkingDay_GraceIsFive()
    {
        var notified = Zurich.At("2026-11-27 16:00"); // Friday afternoon

        Assert.Equal("2026-11-30 16:00", Zurich.Local(ReleaseTimelines.Acceptance.DeadlineFrom(notified, Calendar)));
        Assert.Equal("2026-12-04 16:00", Zurich.Local(ReleaseTimelines.GracePeriod.DeadlineFrom(notified, Calendar)));
    }
}

public sealed class ReleaseTimelineTotalsTests
{
    private static readonly WorkingCalendar Calendar = Zurich.Calendar();

    [Theory]
    [InlineData("emergency", "2026-11-23 10:00", "2026-11-23 18:00", "2026-11-23 11:00")]
    [InlineData("revision", "2026-11-23 10:00", "2026-12-04 10:00", "2026-11-24 10:00")]
    [InlineData("minor", "2026-11-23 10:00", "2026-12-08 10:00", "2026-11-24 10:00")]
    [InlineData("major", "2026-11-23 10:00", "2026-12-23 10:00", "2026-11-24 10:00")]
    public void Table3_TotalsAndAcceptance(string type, string start, string total, string acceptance)
    {
        var row = ReleaseTimelines.Table3[type];
        var from = Zurich.At(start);

        Assert.Equal(total, Zurich.Local(row.Due(TimelineStep.Total, from, Calendar)));
        Assert.Equal(acceptance, Zurich.Local(row.AcceptanceDue(from, Calendar)));
    }

    [Fact]
    public void StagedRolloutStep_IncludesTheGracePeriod_ExceptForEmergencies()
    {
        var from = Zurich.At("2026-11-23 10:00");

        Assert.Equal("2026-12-03 10:00", Zurich.Local(ReleaseTimelines.Table3["minor"].Due(TimelineStep.StagedRollout, from, Calendar)));
        Assert.Equal("2026-11-23 12:30", Zurich.Local(ReleaseTimelines.Table3["emergency"].Due(TimelineStep.StagedRollout, from, Calendar)));
    }
}
