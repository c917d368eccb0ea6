using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Coordination;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Scheduling;
using static Rollout.Bot.Tests.Coordination.CoordinationWorld;

namespace Rollout.Bot.Tests.Coordination;

/// <summary>Action lists (seed 003): owners, due dates, reminders on the owner's own working days, the open list everywhere.</summary>
public abstract class ActionTests(PostgresServer? postgres) : IAsyncLifetime
{
    private CoordinationWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    private Task<List<Reminder>> PendingAsync(long id) => _w.DbAsync(db =>
        db.Reminders.AsNoTracking().Where(r => r.Subject == $"action:{id}" && r.State == ReminderState.Pending).OrderBy(r => r.DueAt).ToListAsync());

    [Fact]
    public async Task AddedAction_RemindsItsOwnerTheWorkingDayBefore_AndWhenOverdue()
    {
        var added = await _w.SayAsync("/action add owner=u-alice due=2026-12-14 \"Send the CVMFS deployment plan\" meeting=\"Operations coordination\"");
        Assert.Contains("Action A1 for u-alice, due Mon 14 Dec 2026: Send the CVMFS deployment plan.", added);

        // Due on a Monday: the working day before is Friday 11 Dec; overdue on Tuesday 15 Dec, both at 09:00 Zurich.
        Assert.Equal(["2026-12-11 09:00", "2026-12-15 09:00"], (await PendingAsync(1)).Select(r => Zurich.Local(r.DueAt)));
        await _w.RunAtAsync("2026-12-11 09:00");
        var soon = Assert.Single(await _w.NoticesAsync("action:1:due-soon"));
        Assert.Equal("user:u-alice", soon.Recipient);
        Assert.Contains("action A1 is due Mon 14 Dec 2026", soon.Payload);

        await _w.RunAtAsync("2026-12-15 09:00");
        var late = Assert.Single(await _w.NoticesAsync("action:1:overdue"));
        Assert.Contains("was due Mon 14 Dec 2026 and is still open", late.Payload);
        Assert.Contains("A1 u-alice, due Mon 14 Dec (overdue): Send the CVMFS deployment plan [Operations coordination]",
            await _w.SayAsync("/actions overdue", Nobody));
    }

    [Fact]
    public async Task SiteAdminOwner_IsRemindedOnTheSitesOwnWorkingDays()
    {
        // Chicago, with a site holiday on Friday 11 Dec: the reminder moves to Thursday 10 Dec, 09:00 in Chicago.
        await _w.SiteAsync("FNAL", Bob, "America/Chicago", "2026-12-11");
        await _w.SayAsync("/action add owner=u-bob due=2026-12-14 \"Squid monitoring probes\"");

        var pending = await PendingAsync(1);
        var chicago = NodaTime.DateTimeZoneProviders.Tzdb["America/Chicago"];
        Assert.Equal(["2026-12-10 09:00", "2026-12-15 09:00"], pending.Select(r => Zurich.Local(r.DueAt, chicago)));
    }

    [Fact]
    public async Task Done_Reassign_AndNewDueDate_ReplanTheReminders_AndOnlyTheOwnerOrACoordinatorMayChangeIt()
    {
        await _w.SayAsync("/action add owner=u-alice due=2026-12-14 \"Check the SHA-2 readiness of the WMS\"", Alice);

        Assert.StartsWith("Only its owner (u-alice) or coordinators can change action A1.", await _w.SayAsync("/action done A1", Bob));
        Assert.Contains("Action A1: due: 2026-12-14 → 2026-12-18.", await _w.SayAsync("/action due A1 2026-12-18", Alice));
        Assert.Equal(["2026-12-17 09:00", "2026-12-21 09:00"], (await PendingAsync(1)).Select(r => Zurich.Local(r.DueAt)));
        Assert.Contains("Action A1: owner: u-alice → u-bob.", await _w.SayAsync("/action reassign A1 owner=u-bob"));
        Assert.Contains("A1 u-bob, due Fri 18 Dec", await _w.SayAsync("/actions mine", Bob));
        Assert.Contains("Action A1: done: sent to the list.", await _w.SayAsync("/action done A1 note=\"sent to the list\"", Bob));

        Assert.Empty(await PendingAsync(1));
        Assert.Equal("Open actions: none.", await _w.SayAsync("/actions", Nobody));
        var kinds = await _w.DbAsync(db => db.CoordinationHistory.AsNoTracking().Where(h => h.Subject == "action:1").OrderBy(h => h.Id).Select(h => h.Kind).ToListAsync());
        Assert.Equal([ActionAdded.Kind, ActionDueMoved.Kind, ActionReassigned.Kind, ActionDone.Kind], kinds);
    }

    [Fact]
    public async Task BadActionInput_IsExplained_AndPeopleWithoutARoleCannotAdd()
    {
        var bad = await _w.SayAsync("/action add owner=u-alice due=14.12.2026 meeting=Nope");
        var norole = await _w.SayAsync("/action add owner=u-alice due=2026-12-14 \"x\"", Nobody);

        Assert.Contains("`14.12.2026` is not a date: give it as YYYY-MM-DD.", bad);
        Assert.Contains("Say what is to be done", bad);
        Assert.Contains("There is no meeting 'Nope'.", bad);
        Assert.StartsWith("Only people with a role can keep the action list.", norole);
        Assert.Equal(0, await _w.DbAsync(db => db.ActionItems.CountAsync()));
    }

    [Fact]
    public async Task OpenActions_AreInTheBulletin_OnTheStatusPage_AndInTheCalendar()
    {
        await _w.SayAsync("/action add owner=u-alice due=2026-12-02 \"Publish the <b>agenda</b>\"");
        await _w.SayAsync("/action add owner=u-bob due=2026-12-14 \"Ask the Tier-1s about FTS3\"");

        await _w.RunAtAsync("2026-12-03 13:30"); // the coordination meeting's bulletin; A1 was due yesterday
        var bulletin = await _w.DbAsync(db => db.BulletinPosts.AsNoTracking().Where(b => b.Meeting == "Operations coordination").Select(b => b.Text).SingleAsync());
        Assert.Contains("**Open actions** (2, 1 overdue):\n- A1 u-alice, due Wed 2 Dec (overdue): Publish the <b>agenda</b>\n- A2 u-bob, due Mon 14 Dec: Ask the Tier-1s about FTS3\n", bulletin);

        var status = await _w.GetAsync("/status");
        Assert.Contains("<h2>Open actions (2)</h2>", status);
        Assert.Contains("Publish the &lt;b&gt;agenda&lt;/b&gt;", status);
        var ics = (await _w.GetAsync("/calendar.ics")).Replace("\r\n ", "");
        Assert.Contains("UID:action-2@rollout-bot.invalid\r\nDTSTAMP:20261203T123000Z\r\nDTSTART:20261214T153000Z", ics);
        Assert.Contains("SUMMARY:Action due: A2 (u-bob)", ics);
    }
}

public sealed class ActionTestsOnSqlite() : ActionTests(null);

[Collection(PostgresCollection.Name)]
public sealed class ActionTestsOnPostgres(PostgresServer postgres) : ActionTests(postgres);
