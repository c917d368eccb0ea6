using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Coordination;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Coordination.CoordinationWorld;

namespace Rollout.Bot.Tests.Coordination;

/// <summary>Agendas collected from chat and ordered by the chair; minutes recorded by the secretary and published.</summary>
public abstract class AgendaAndMinutesTests(PostgresServer? postgres) : IAsyncLifetime
{
    private CoordinationWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await StartAsync(postgres);
        await _w.SayAsync("/meeting set \"Operations coordination\" chairs=u-maria secretaries=u-andrea");
        await _w.GrantAsync("u-maria", Rollout.Bot.Conversation.Role.Provider);
    }

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Agenda_IsCollected_OrderedByTheChair_AndGoesOutWithTheBulletin()
    {
        Assert.Contains("as item 1: CVMFS deployment status",
            await _w.SayAsync("/agenda add meeting=\"Operations coordination\" \"CVMFS deployment status\"", Alice));
        await _w.SayAsync("/agenda add meeting=\"Operations coordination\" \"Task force prioritisation\"", Bob);
        await _w.SayAsync("/agenda add meeting=\"Operations coordination\" \"AOB\"", Alice);

        Assert.StartsWith("Only people with a role can add to an agenda.", await _w.SayAsync("/agenda add meeting=\"Operations coordination\" \"x\"", Nobody));
        Assert.StartsWith("Only the chairs of Operations coordination (u-maria) or coordinators",
            await _w.SayAsync("/agenda move meeting=\"Operations coordination\" 2 1", Alice));
        var moved = await _w.SayAsync("/agenda move meeting=\"Operations coordination\" 2 1", "u-maria");
        Assert.Contains("1. Task force prioritisation (Bob)\n2. CVMFS deployment status (Alice)\n3. AOB (Alice)", moved);
        await _w.SayAsync("/agenda drop meeting=\"Operations coordination\" 3", "u-maria");

        var show = await _w.SayAsync("/meeting show \"Operations coordination\"", Nobody);
        Assert.Contains("**Agenda — Operations coordination**, Thu 3 Dec 2026 15:30–17:00\n1. Task force prioritisation (Bob)\n2. CVMFS deployment status (Alice)\n", show);
        await _w.RunAtAsync("2026-12-03 13:30");
        var bulletin = await _w.DbAsync(db => db.BulletinPosts.AsNoTracking().Where(b => b.Meeting == "Operations coordination").Select(b => b.Text).SingleAsync());
        Assert.Contains("**Agenda**:\n1. Task force prioritisation\n2. CVMFS deployment status\n", bulletin);
        Assert.DoesNotContain("AOB", bulletin);
    }

    [Fact]
    public async Task Minutes_RecordedByTheSecretary_ArePublished_LinkedFromTheNextBulletin_AndInTheFeed()
    {
        _w.Clock.Set(Rollout.Bot.Tests.Scheduling.Zurich.At("2026-12-03 17:05"));
        var minutes = "/minutes record meeting=\"Operations coordination\"\nCVMFS: 80% of sites done <script>.\nDecision: SHA-2 task force reports at the next planning\nrepo=x is not a field here";

        Assert.StartsWith("Only the secretaries of Operations coordination (u-andrea) or coordinators", await _w.SayAsync(minutes, Alice));
        var recorded = await _w.SayAsync(minutes, "u-andrea");
        Assert.Contains("Recorded the minutes of **Operations coordination**, Thu 3 Dec 2026 15:30–17:00: 1 decision(s). Published at /status/minutes/1", recorded);
        Assert.Contains("Decision: SHA-2 task force", await _w.SayAsync("/minutes \"Operations coordination\"", Nobody));

        var page = await _w.GetAsync("/status/minutes/1");
        Assert.Contains("<li><strong>SHA-2 task force reports at the next planning</strong></li>", page);
        Assert.Contains("CVMFS: 80% of sites done &lt;script&gt;.", page);
        var feed = await _w.GetAsync("/feed.atom");
        Assert.Contains("minutes/1</id>", feed);
        Assert.Contains("Decisions: SHA-2 task force reports at the next planning", feed);

        await _w.RunAtAsync("2026-12-17 13:30");
        var next = await _w.DbAsync(db => db.BulletinPosts.AsNoTracking().Where(b => b.Meeting == "Operations coordination")
            .OrderByDescending(b => b.MeetingAt).Select(b => b.Text).FirstAsync());
        Assert.Contains("Minutes of the previous meeting (Thu 3 Dec): /status/minutes/1\n- Decision: SHA-2 task force reports at the next planning\n", next);
        Assert.Equal(1, await _w.DbAsync(db => db.CoordinationHistory.CountAsync(h => h.Kind == MinutesRecorded.Kind)));
    }
}

public sealed class AgendaAndMinutesTestsOnSqlite() : AgendaAndMinutesTests(null);

[Collection(PostgresCollection.Name)]
public sealed class AgendaAndMinutesTestsOnPostgres(PostgresServer postgres) : AgendaAndMinutesTests(postgres);
