using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Scheduling;
using static Rollout.Bot.Tests.Coordination.CoordinationWorld;

namespace Rollout.Bot.Tests.Coordination;

/// <summary>
/// The "done means", from chat only: the fortnightly coordination meeting's agenda collected, its bulletin
/// posted once two hours before with the actions and task forces, minutes recorded and published, three new actions
/// whose owners are reminded on their own working days, and a task force created at one quarterly planning and
/// dissolved at the next.
/// </summary>
public abstract class CoordinationWalkTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Meeting = "Operations coordination";
    private CoordinationWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    private Task<List<string>> BulletinsAsync(string meeting) => _w.DbAsync(db =>
        db.BulletinPosts.AsNoTracking().Where(b => b.Meeting == meeting).OrderBy(b => b.MeetingAt).Select(b => b.Text).ToListAsync());

    [Fact]
    public async Task TheFortnightlyCoordinationMeeting_RunsFromChat()
    {
        await _w.SayAsync($"/meeting set \"{Meeting}\" chairs=u-maria secretaries=u-andrea room=\"3162-2-E01\"");
        await _w.GrantAsync("u-andrea", Role.Provider);
        await _w.SiteAsync("FNAL", Bob, "America/Chicago", "2026-12-18");
        await _w.SiteAsync("ASGC", "u-ueda", "Asia/Taipei");
        await _w.SayAsync("/action add owner=u-alice due=2026-12-02 \"Circulate the SHA-2 timeline\"");

        // The agenda, collected from whoever has a role, ordered by the chair.
        await _w.SayAsync($"/agenda add meeting=\"{Meeting}\" \"Middleware deployment news\"", Alice);
        await _w.SayAsync($"/agenda add meeting=\"{Meeting}\" \"Task force prioritisation\"", Bob);
        await _w.SayAsync($"/agenda move meeting=\"{Meeting}\" 2 1");

        // Two hours before: the bulletin, once, with the agenda and the open and overdue actions.
        await _w.RunAtAsync("2026-12-03 13:30");
        await _w.RunAtAsync("2026-12-03 13:31");
        var first = Assert.Single(await BulletinsAsync(Meeting));
        Assert.Single(await _w.NoticesAsync($"bulletin:{Meeting}:"));
        Assert.Contains("**Agenda**:\n1. Task force prioritisation\n2. Middleware deployment news\n", first);
        Assert.Contains("**Open actions** (1, 1 overdue):\n- A1 u-alice, due Wed 2 Dec (overdue): Circulate the SHA-2 timeline\n", first);
        Assert.Contains("No task forces.", first);

        // After the meeting: the secretary's minutes, published; three new actions with their owners.
        _w.Clock.Set(Zurich.At("2026-12-03 17:10"));
        Assert.Contains("1 decision(s). Published at /status/minutes/1", await _w.SayAsync(
            $"/minutes record meeting=\"{Meeting}\"\nMiddleware: EMI-2 rollout on track.\nDecision: the planning creates an SHA-2 task force", "u-andrea"));
        Assert.Contains("Decision: the planning creates an SHA-2 task force", await _w.GetAsync("/status/minutes/1"));
        await _w.SayAsync("/action done A1 note=\"sent\"", Alice);
        await _w.SayAsync($"/action add owner=u-alice due=2026-12-21 \"Propose the task force mandate\" meeting=\"{Meeting}\"", "u-andrea");
        await _w.SayAsync($"/action add owner=u-bob due=2026-12-21 \"Report the FTS3 tests\" meeting=\"{Meeting}\"", "u-andrea");
        await _w.SayAsync($"/action add owner=u-ueda due=2026-12-21 \"Check the Squid monitoring\" meeting=\"{Meeting}\"", "u-andrea");

        // Each owner hears the working day before, on their own calendar: Friday 18 Dec 09:00 in Zurich and in Taipei,
        // Thursday 17 Dec in Chicago (Friday is FNAL's holiday).
        await _w.RunAtAsync("2026-12-17 10:00"); // 09:00 in Chicago is 16:00 in Zurich
        Assert.Empty(await _w.NoticesAsync("action:3:due-soon"));
        await _w.RunAtAsync("2026-12-17 16:00");
        Assert.Single(await _w.NoticesAsync("action:3:due-soon"));
        Assert.Empty(await _w.NoticesAsync("action:2:due-soon"));
        await _w.RunAtAsync("2026-12-18 02:00"); // 09:00 in Taipei
        Assert.Equal("user:u-ueda", Assert.Single(await _w.NoticesAsync("action:4:due-soon")).Recipient);
        Assert.Empty(await _w.NoticesAsync("action:2:due-soon"));
        await _w.RunAtAsync("2026-12-18 09:00");
        Assert.Equal("user:u-alice", Assert.Single(await _w.NoticesAsync("action:2:due-soon")).Recipient);

        // The quarterly planning creates a task force; the next coordination meeting's bulletin carries it and the minutes.
        _w.Clock.Set(Zurich.At("2026-12-17 16:40"));
        await _w.SayAsync("/taskforce create name=SHA-2 mandate=\"Migrate to SHA-2 certificates\" lead=u-alice until=2027-03-31");
        await _w.SayAsync("/taskforce status SHA-2 \"CAs ready\"", Alice);
        await _w.RunAtAsync("2026-12-31 13:30");
        var later = (await BulletinsAsync(Meeting)).Last();
        Assert.Contains("Minutes of the previous meeting (Thu 3 Dec): /status/minutes/1\n- Decision: the planning creates an SHA-2 task force\n", later);
        Assert.Contains("**Task forces** (1, in priority order):\n- SHA-2 — lead u-alice, 1 member(s), 13 day(s) old, until 2027-03-31; status: CAs ready\n", later);
        Assert.Contains("**Open actions** (3, 3 overdue):", later);

        // The next quarterly planning: the task force is in its bulletin and is dissolved there.
        await _w.RunAtAsync("2027-03-17 12:30");
        Assert.Contains("  Mandate: Migrate to SHA-2 certificates\n", Assert.Single(await BulletinsAsync("Quarterly operations planning")).Replace("\r", ""));
        _w.Clock.Set(Zurich.At("2027-03-17 16:30"));
        Assert.Contains("is dissolved after 12 weeks", await _w.SayAsync("/taskforce dissolve SHA-2 note=\"all services accept SHA-2\""));
        Assert.StartsWith("No task forces.", await _w.SayAsync("/taskforces", Nobody));
        Assert.DoesNotContain("SHA-2 —", await _w.GetAsync("/status"));
    }
}

public sealed class CoordinationWalkTestsOnSqlite() : CoordinationWalkTests(null);

[Collection(PostgresCollection.Name)]
public sealed class CoordinationWalkTestsOnPostgres(PostgresServer postgres) : CoordinationWalkTests(postgres);
