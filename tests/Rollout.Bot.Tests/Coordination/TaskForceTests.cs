using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Coordination;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Coordination.CoordinationWorld;

namespace Rollout.Bot.Tests.Coordination;

/// <summary>Task forces (seed 003): created and dissolved by the quarterly planning, signed up to, led, prioritised.</summary>
public abstract class TaskForceTests(PostgresServer? postgres) : IAsyncLifetime
{
    private CoordinationWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres, "2026-12-17 16:00");

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TaskForce_LivesFromOnePlanningToTheNext_WithMembersStatusRoomAndPriority()
    {
        Assert.StartsWith("Only coordinators can create task forces", await _w.SayAsync("/taskforce create name=SHA-2 mandate=\"x\" lead=u-alice", Alice));
        Assert.Contains("Created the **SHA-2** task force, led by u-alice until 2027-03-31: Migrate the grid to SHA-2 certificates.",
            await _w.SayAsync("/taskforce create name=SHA-2 mandate=\"Migrate the grid to SHA-2 certificates\" lead=u-alice until=2027-03-31"));
        await _w.SayAsync("/taskforce create name=Squid mandate=\"Squid monitoring\" lead=u-bob");
        Assert.Contains("You joined the SHA-2 task force", await _w.SayAsync("/taskforce join SHA-2", Bob));
        Assert.StartsWith("Only its lead (u-alice) or coordinators can set the status of SHA-2", await _w.SayAsync("/taskforce status SHA-2 \"x\"", Bob));
        Assert.Contains("This conversation is now the room of the SHA-2 task force", await _w.SayAsync("/taskforce bind SHA-2", Alice, "room-sha2", isGroup: true));
        await _w.SayAsync("/taskforce status SHA-2 \"CAs ready; WMS pending\"", Alice);
        await _w.SayAsync("/action add owner=u-bob due=2027-01-15 \"Test the WMS with SHA-2 proxies\" taskforce=SHA-2", Alice);
        Assert.Contains("Squid is now priority 1. Order: 1. Squid, 2. SHA-2.", await _w.SayAsync("/taskforce priority Squid 1"));

        var room = (await _w.NoticesAsync("taskforce:")).Concat(await _w.NoticesAsync("action:1:taskforce")).ToList();
        Assert.All(room, n => Assert.Equal("channel:taskforce/1", n.Recipient));
        Assert.Contains(room, n => n.Payload.Contains("status: CAs ready; WMS pending"));
        Assert.Contains(room, n => n.Payload.Contains("new action A1 for u-bob"));
        Assert.Contains("1. Squid — lead u-bob, 1 member(s), 0 day(s) old; status: none yet\n- 2. SHA-2 — lead u-alice, 2 member(s), 0 day(s) old, until 2027-03-31; status: CAs ready; WMS pending",
            await _w.SayAsync("/taskforces", Nobody));
        Assert.Contains("A1 u-bob, due Fri 15 Jan: Test the WMS with SHA-2 proxies [task force SHA-2]", await _w.SayAsync("/actions", Nobody));

        // The next quarterly planning: its bulletin lists the task forces with age, status and mandate; SHA-2 is dissolved there.
        await _w.RunAtAsync("2027-03-17 12:30");
        var bulletin = await _w.DbAsync(db => db.BulletinPosts.AsNoTracking().Where(b => b.Meeting == "Quarterly operations planning").Select(b => b.Text).SingleAsync());
        Assert.Contains("- 2. SHA-2 — lead u-alice, 2 member(s), 12 weeks old, until 2027-03-31; status: CAs ready; WMS pending\n  Mandate: Migrate the grid to SHA-2 certificates\n", bulletin);
        Assert.StartsWith("Only coordinators can dissolve task forces", await _w.SayAsync("/taskforce dissolve SHA-2 note=\"done\"", Alice));
        Assert.Contains("The SHA-2 task force is dissolved after 12 weeks: every service accepts SHA-2",
            await _w.SayAsync("/taskforce dissolve SHA-2 note=\"every service accepts SHA-2\""));
        Assert.DoesNotContain("SHA-2", await _w.SayAsync("/taskforces", Nobody));
        var status = await _w.GetAsync("/status");
        Assert.Contains("<h2>Task forces (1)</h2>", status);
        var kinds = await _w.DbAsync(db => db.CoordinationHistory.AsNoTracking().Where(h => h.Subject == "taskforce:1").OrderBy(h => h.Id).Select(h => h.Kind).ToListAsync());
        Assert.Equal([TaskForceCreated.Kind, TaskForceJoined.Kind, TaskForceRoomBound.Kind, TaskForceStatusSet.Kind, TaskForceDissolved.Kind], kinds);
    }

    [Fact]
    public async Task BadTaskForceInput_IsExplained()
    {
        var bad = await _w.SayAsync("/taskforce create name=X until=2020-01-01");
        Assert.Contains("`mandate=` is missing", bad);
        Assert.Contains("`lead=` is missing", bad);
        Assert.Contains("`until=2020-01-01` must be a date to come", bad);
        Assert.Contains("There is no task force 'Nope'", await _w.SayAsync("/taskforce join Nope", Alice));
        Assert.Contains("`note=` is missing", await _w.SayAsync("/taskforce create name=X mandate=m lead=u-bob") is var _ ? await _w.SayAsync("/taskforce dissolve X") : "");
    }
}

public sealed class TaskForceTestsOnSqlite() : TaskForceTests(null);

[Collection(PostgresCollection.Name)]
public sealed class TaskForceTestsOnPostgres(PostgresServer postgres) : TaskForceTests(postgres);
