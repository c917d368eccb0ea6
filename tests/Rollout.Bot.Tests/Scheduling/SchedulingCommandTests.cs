using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NodaTime;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Scheduling;

public sealed class SchedulingCommandTests : IDisposable
{
    private const string Coordinator = "u-coord";
    private readonly ManualTimeProvider _clock = new(Zurich.At("2026-12-01 10:00")); // a Tuesday
    private readonly LogCapture _logs = new();
    private readonly BotApp _app;

    public SchedulingCommandTests()
    {
        _app = new BotApp(new() { ["Roles:Coordinators:0"] = Coordinator })
        {
            ExtraServices = s =>
            {
                s.RemoveAll<TimeProvider>();
                s.AddSingleton<TimeProvider>(_clock);
                s.AddSingleton<ILoggerProvider>(_logs);
            },
        };
    }

    public void Dispose() => _app.Dispose();

    private Task<string> CoordinatorSays(string text) => _app.SayAsync(text, Coordinator, "Carla", "conv-coord");

    private async Task<RolloutDb> DbAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();

    [Theory]
    [InlineData("/holiday add 2026-12-24 \"Annual closure\"")]
    [InlineData("/holiday remove 2026-12-24")]
    [InlineData("/bulletin preview")]
    public async Task CoordinatorCommands_RefuseEveryoneElse(string command)
    {
        var reply = await _app.SayAsync(command);

        Assert.StartsWith("Only coordinators", reply);
    }

    [Theory]
    [InlineData("/holiday add 24.12.2026 \"Annual closure\"", "'24.12.2026' is not a date")]
    [InlineData("/holiday add 2026-02-30 Closure", "'2026-02-30' is not a date")]
    [InlineData("/holiday add", "Which date?")]
    [InlineData("/holiday add 2026-12-24", "Give the holiday a name")]
    [InlineData("/holiday add 2026-11-02 Past", "is in the past")]
    [InlineData("/holiday move 2026-12-24", "Say what to do")]
    public async Task BadHolidayInput_IsExplained(string command, string expected)
    {
        var reply = await CoordinatorSays(command);

        Assert.Contains(expected, reply);
        if (expected.Contains("not a date")) Assert.Contains("yyyy-MM-dd", reply);
    }

    [Fact]
    public async Task AddedHoliday_ShowsInTheCalendar_AndIsNotAWorkingDay()
    {
        var added = await CoordinatorSays("/holiday add 2026-12-24 \"Annual closure\"");
        var again = await CoordinatorSays("/holiday add 2026-12-24 Other");
        var calendar = await _app.SayAsync("/calendar");

        Assert.Contains("Added the holiday Thu 24 Dec 2026 \"Annual closure\" for everyone", added);
        Assert.Contains("already a holiday for everyone: \"Annual closure\"", again);
        Assert.Contains("- Thu 24 Dec: holiday: Annual closure", calendar);
        await using var db = await DbAsync();
        var channel = await _app.Services.GetRequiredService<WorkingCalendars>().ForChannelAsync(db);
        Assert.False(channel.IsWorkingDay(new LocalDate(2026, 12, 24)));
        Assert.Equal(Coordinator, (await db.Holidays.SingleAsync()).AddedBy);
    }

    [Fact]
    public async Task RemovedHoliday_IsAWorkingDayAgain()
    {
        await CoordinatorSays("/holiday add 2026-12-24 \"Annual closure\"");

        var removed = await CoordinatorSays("/holiday remove 2026-12-24");
        var again = await CoordinatorSays("/holiday remove 2026-12-24");

        Assert.Contains("Removed the holiday Thu 24 Dec 2026 for everyone", removed);
        Assert.Contains("There is no holiday on Thu 24 Dec 2026 for everyone", again);
        await using var db = await DbAsync();
        Assert.Empty(await db.Holidays.ToListAsync());
    }

    [Fact]
    public async Task SiteHoliday_AppliesToThatSiteOnly()
    {
        await using (var db = await DbAsync())
        {
            db.Sites.Add(new Site { Name = "ASGC", Stack = "gLite", TimeZone = "Asia/Taipei", CreatedAt = _clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        var added = await CoordinatorSays("/holiday add 2026-12-08 \"Local holiday\" site=asgc");
        var unknown = await CoordinatorSays("/holiday add 2026-12-08 Local site=NOPE");
        var siteCalendar = await _app.SayAsync("/calendar site=ASGC");
        var channelCalendar = await _app.SayAsync("/calendar");

        Assert.Contains("for site ASGC", added);
        Assert.Contains("There is no site 'NOPE'", unknown);
        Assert.Contains("Asia/Taipei", siteCalendar);
        Assert.Contains("holiday at ASGC: Local holiday", siteCalendar);
        Assert.DoesNotContain("Local holiday", channelCalendar);

        await using var check = await DbAsync();
        var calendars = _app.Services.GetRequiredService<WorkingCalendars>();
        var siteId = (await check.Sites.SingleAsync()).Id;
        var site = await calendars.ForSiteAsync(check, siteId);
        Assert.False(site.IsWorkingDay(new LocalDate(2026, 12, 8)));
        Assert.Equal("Asia/Taipei", site.Zone.Id);
        Assert.True((await calendars.ForChannelAsync(check)).IsWorkingDay(new LocalDate(2026, 12, 8)));
    }

    [Fact]
    public async Task Calendar_ListsWeekendsAndTheDefaultMeetingsWithBulletinTimes()
    {
        var reply = await _app.SayAsync("/calendar");

        Assert.Contains("Tue 1 Dec – Wed 30 Dec (Europe/Zurich, working hours 09:00–17:00)", reply);
        Assert.Contains("- Sat 5 Dec: weekend", reply);
        Assert.Contains("- Mon 7 Dec: EMT meeting (Monday) 14:30; Operations meeting 16:00 (bulletin 14:00)", reply);
        Assert.Contains("Every working day: Daily operations 15:00", reply);
        Assert.Contains("- Wed 2 Dec: WLCG operations meeting 15:00 (bulletin 13:00)", reply);
        Assert.Contains("22 working days in these 30 days.", reply);
    }

    [Fact]
    public async Task Meetings_ShowsNextOccurrencesWithBulletinTimes()
    {
        var reply = await _app.SayAsync("/meetings");

        Assert.Contains("**Operations meeting** — weekly on Monday, 16:00–17:00 Europe/Zurich; bulletin 2 h before, to the `operations` channel", reply);
        Assert.Contains("- Mon 7 Dec 2026 16:00–17:00 (bulletin Mon 7 Dec 2026 14:00)", reply);
        Assert.Contains("- Wed 2 Dec 2026 15:00–16:00 (bulletin Wed 2 Dec 2026 13:00)", reply);
    }

    [Fact]
    public async Task BulletinPreview_ShowsTheNextMeetingsBulletin()
    {
        await CoordinatorSays("/holiday add 2026-12-03 Test");

        var reply = await CoordinatorSays("/bulletin preview");
        var named = await CoordinatorSays("/bulletin preview meeting=\"Operations meeting\"");
        var unknown = await CoordinatorSays("/bulletin preview meeting=Nope");

        Assert.Contains("**Bulletin — WLCG operations meeting**, Wednesday 2 December 2026, 15:00 (Europe/Zurich)", reply);
        Assert.Contains("- Thu 3 Dec: Test", reply);
        Assert.Contains("Also: Operations meeting, Monday 7 December 2026, 16:00", reply);
        Assert.Contains("**Bulletin — Operations meeting**, Monday 7 December 2026, 16:00", named);
        Assert.Contains("There is no meeting 'Nope'", unknown);
    }

    [Fact]
    public async Task BulletinPoster_PostsOncePerMeeting_AndSkipsOnceTheMeetingHasBegun()
    {
        var poster = _app.Services.GetRequiredService<BulletinPoster>();

        var first = await poster.RunAsync("Operations meeting", Zurich.At("2026-12-07 14:00"));
        var again = await poster.RunAsync("Operations meeting", Zurich.At("2026-12-07 14:30"));
        var late = await poster.RunAsync("Operations meeting", Zurich.At("2026-12-14 16:05"));

        Assert.Equal(BulletinAction.Post, first.Action);
        Assert.Equal(BulletinAction.Post, again.Action);
        Assert.Equal(BulletinAction.Skip, late.Action);
        await using var db = await DbAsync();
        var post = Assert.Single(await db.BulletinPosts.ToListAsync());
        Assert.Equal("operations", post.Channel);
        Assert.Equal(Zurich.At("2026-12-07 16:00"), post.MeetingAt);
        Assert.StartsWith("**Bulletin — Operations meeting**", post.Text);
    }

    [Fact]
    public async Task MissedBulletin_IsSkippedAndLogged_UnlessItWasPosted()
    {
        var poster = _app.Services.GetRequiredService<BulletinPoster>();
        await poster.RunAsync("Operations meeting", Zurich.At("2026-12-07 14:00"));

        await poster.RunAsync("Operations meeting", Zurich.At("2026-12-08 09:00")); // posted on time: nothing to report
        var missed = await poster.RunAsync("WLCG operations meeting", Zurich.At("2026-12-03 09:00")); // bot was down

        Assert.Equal(BulletinAction.Skip, missed.Action);
        var skips = _logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Skipped the bulletin")).ToList();
        var skip = Assert.Single(skips);
        Assert.Contains("WLCG operations meeting", skip.Message);
        await using var db = await DbAsync();
        Assert.Single(await db.BulletinPosts.ToListAsync());
    }
}
