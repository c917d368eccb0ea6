using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Coordination;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Coordination.CoordinationWorld;

namespace Rollout.Bot.Tests.Coordination;

/// <summary>Meetings as data (seeds 000 and 003): seeded from configuration, managed in chat, single occurrences moved or cancelled.</summary>
public abstract class MeetingCommandTests(PostgresServer? postgres) : IAsyncLifetime
{
    private CoordinationWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SeedMeetings_AreStored_WithTheirLengthsAndRecurrences()
    {
        var reply = await _w.SayAsync("/meetings", Nobody);

        Assert.Contains("**Operations coordination** — fortnightly on Thursday (from 2026-12-03), 15:30–17:00 Europe/Zurich; bulletin 2 h before", reply);
        Assert.Contains("- Thu 3 Dec 2026 15:30–17:00 (bulletin Thu 3 Dec 2026 13:30)", reply);
        Assert.Contains("- Thu 17 Dec 2026 15:30–17:00", reply);
        Assert.Contains("**Quarterly operations planning** — quarterly (from 2026-12-17), 14:30–16:30", reply);
        Assert.Contains("**Daily operations** — daily on working days, 15:00–15:20 Europe/Zurich; no bulletin", reply);
        Assert.Contains("- Tue 1 Dec 2026 15:00–15:20\n- Wed 2 Dec 2026 15:00–15:20\n- Thu 3 Dec 2026 15:00–15:20\n", reply);
        Assert.Contains("**EMT meeting (Monday)** — weekly on Monday, 14:30–15:30 Europe/Zurich; no bulletin", reply);
        var history = await _w.DbAsync(db => db.CoordinationHistory.AsNoTracking().CountAsync(h => h.Kind == MeetingAdded.Kind));
        Assert.Equal(8, history);
    }

    [Fact]
    public async Task Coordinator_AddsAOneOffKickOff_AndItIsInTheCalendarWithItsLengthAndRoom()
    {
        var added = await _w.SayAsync("/meeting add name=\"Task force kick-off\" every=once date=2026-12-09 time=14:30 length=2:00 room=\"3162-2-E01, CERN\" chairs=u-maria secretaries=u-andrea bulletin=off");

        Assert.Contains("Added **Task force kick-off**: once, on 2026-12-09, 14:30–16:30 Europe/Zurich; next Wed 9 Dec 2026 14:30–16:30.", added);
        var ics = (await _w.GetAsync("/calendar.ics")).Replace("\r\n ", "");
        Assert.Contains("UID:meeting-task-force-kick-off-20261209T133000Z@rollout-bot.invalid", ics);
        Assert.Contains("DTSTART:20261209T133000Z\r\nDTEND:20261209T153000Z\r\nSUMMARY:Task force kick-off", ics);
        Assert.Contains("LOCATION:3162-2-E01\\, CERN", ics);
        // The 90-minute coordination meeting ends at 17:00 Zurich.
        Assert.Contains("DTSTART:20261203T143000Z\r\nDTEND:20261203T160000Z\r\nSUMMARY:Operations coordination", ics);
        var show = await _w.SayAsync("/meeting show \"Task force kick-off\"", Nobody);
        Assert.Contains("Room: 3162-2-E01, CERN · chairs: u-maria · secretaries: u-andrea", show);
        Assert.Contains("No bulletin.", show);
    }

    [Fact]
    public async Task CancelAndMoveOneOccurrence_LeaveTheSeriesAlone()
    {
        var cancelled = await _w.SayAsync("/meeting cancel \"Operations coordination\" date=2026-12-17 reason=\"Christmas week\"");
        var moved = await _w.SayAsync("/meeting move \"Operations coordination\" date=2026-12-03 to=\"2026-12-04 10:00\"");

        Assert.Contains("the meeting of 2026-12-17 is cancelled: Christmas week. The rest of the series is unchanged.", cancelled);
        Assert.Contains("the meeting of 2026-12-03 moved to 2026-12-04 10:00", moved);
        var list = await _w.SayAsync("/meeting show \"Operations coordination\"", Nobody);
        Assert.Contains("Next:\n- Fri 4 Dec 2026 10:00–11:30 (moved from 2026-12-03)\n- Thu 31 Dec 2026 15:30–17:00\n- Thu 14 Jan 2027 15:30–17:00\n", list);
        Assert.Contains("- 2026-12-17: cancelled", list);
        var ics = (await _w.GetAsync("/calendar.ics")).Replace("\r\n ", "");
        Assert.Contains("UID:meeting-operations-coordination-20261203T143000Z@rollout-bot.invalid\r\nDTSTAMP:20261201T090000Z\r\nDTSTART:20261204T090000Z", ics);
        Assert.DoesNotContain("DTSTART:20261217T143000Z\r\nDTEND:20261217T160000Z\r\nSUMMARY:Operations coordination", ics);
        var kinds = await _w.DbAsync(db => db.CoordinationHistory.AsNoTracking().Where(h => h.Subject.StartsWith("meeting:")).Select(h => h.Kind).ToListAsync());
        Assert.Contains(OccurrenceCancelled.Kind, kinds);
        Assert.Contains(OccurrenceMoved.Kind, kinds);
    }

    [Fact]
    public async Task BadMeetingInput_SaysEverythingThatIsWrong_AndChangesNothing()
    {
        var reply = await _w.SayAsync("/meeting add name=X every=fortnightly time=25:00 length=0 colour=red");
        var cancel = await _w.SayAsync("/meeting cancel \"Operations coordination\" date=2026-12-10");
        var unknown = await _w.SayAsync("/meeting set \"Nope\" length=30");

        Assert.Contains("`time=25:00` is not a time of day", reply);
        Assert.Contains("`length=0` is not a length", reply);
        Assert.Contains("A fortnightly meeting needs `day=`", reply);
        Assert.Contains("needs `anchor=YYYY-MM-DD`", reply);
        Assert.Contains("I don't know `colour=` here.", reply);
        Assert.Contains("Nothing was changed.", reply);
        Assert.Contains("does not meet on 2026-12-10 (Thursday); its next dates: 2026-12-03, 2026-12-17, 2026-12-31.", cancel);
        Assert.Contains("There is no meeting 'Nope'.", unknown);
        Assert.Equal(8, await _w.DbAsync(db => db.Meetings.CountAsync()));
    }

    [Fact]
    public async Task OnlyCoordinators_ManageMeetings()
    {
        var reply = await _w.SayAsync("/meeting set \"Daily operations\" length=30", Alice);

        Assert.StartsWith("Only coordinators can add, change, cancel, move or remove meetings.", reply);
        Assert.Equal(20, await _w.DbAsync(db => db.Meetings.Where(m => m.Name == "Daily operations").Select(m => m.LengthMinutes).SingleAsync()));
    }

    [Fact]
    public async Task SwitchingABulletinOff_StopsItsBulletin()
    {
        Assert.Contains("bulletin: on → off", await _w.SayAsync("/meeting set \"WLCG operations meeting\" bulletin=off"));

        await _w.RunAtAsync("2026-12-02 13:00");

        Assert.Empty(await _w.NoticesAsync("bulletin:WLCG"));
        Assert.Contains("switched off", await _w.SayAsync("/bulletin post meeting=\"WLCG operations meeting\""));
    }

    [Fact]
    public async Task BulletinSweep_PostsTheFortnightlyCoordinationBulletinTwoHoursBefore_Once()
    {
        await _w.RunAtAsync("2026-12-03 13:28"); // a minute early still counts as due (Quartz tolerance)
        Assert.Empty(await _w.NoticesAsync("bulletin:Operations coordination"));

        await _w.RunAtAsync("2026-12-03 13:30");
        await _w.RunAtAsync("2026-12-03 13:31");

        var posted = Assert.Single(await _w.NoticesAsync("bulletin:Operations coordination"));
        Assert.Equal("channel:operations", posted.Recipient);
    }
}

public sealed class MeetingCommandTestsOnSqlite() : MeetingCommandTests(null);

[Collection(PostgresCollection.Name)]
public sealed class MeetingCommandTestsOnPostgres(PostgresServer postgres) : MeetingCommandTests(postgres);
