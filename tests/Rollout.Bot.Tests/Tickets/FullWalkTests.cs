using Microsoft.EntityFrameworkCore;

using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

public abstract class FullWalkTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await TicketWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Release_FromNewToClosedSuccess_KeepsEveryStepInTheHistory()
    {
        await _w.CastAsync();

        var opened = await _w.SayAsync("/release new component=cream version=1.14.2 stack=glite type=revision " + TicketWorld.Links, TicketWorld.Provider);
        Assert.Contains("Opened ticket #1", opened);
        Assert.Contains("now unverified", await _w.SayAsync("/unverified #1", TicketWorld.Repository));
        Assert.Contains("is verified", await _w.SayAsync("/verify #1 repo=https://repo.example.org/sr/cream", TicketWorld.TechUnit));
        Assert.Contains("the ticket is rolling-out", await _w.SayAsync("/accept #1", TicketWorld.Alice));
        Assert.Contains("Beta accepted", await _w.SayAsync("/accept #1", TicketWorld.Bob));
        Assert.Contains("Comment added", await _w.SayAsync("/comment #1 \"installed on two CEs\"", TicketWorld.Alice));
        Assert.Contains("Still waiting for 1 site(s)", await _w.SayAsync("/report #1 outcome=success hours=3 notes=\"clean upgrade\"", TicketWorld.Alice));
        Assert.Contains("a coordinator can now `/close` it", await _w.SayAsync("/report #1 outcome=warning notes=\"doc typo\"", TicketWorld.Bob));
        var closed = await _w.SayAsync("/close #1 outcome=success summary=\"two sites, no blocking issue\"", TicketWorld.Coordinator);
        Assert.Contains("#1 is closed: success. cream 1.14.2 is released to production.", closed);

        var history = await _w.DbAsync(db => db.TicketHistory.Where(h => h.TicketId == 1).OrderBy(h => h.Id)
            .Select(h => $"{h.ByUserId} {h.What} {h.From}>{h.To}").ToListAsync());
        Assert.Equal(
        [
            "u-prov created >certified",
            "u-repo state certified>unverified",
            "u-tu state unverified>verified",
            "u-tu repository >https://repo.example.org/sr/cream",
            "u-alice state verified>rolling-out",
            "u-alice site accepted >Alpha",
            "u-bob site accepted >Beta",
            "u-alice comment >",
            "u-alice site Alpha done accepted>done (success)",
            "u-bob site Beta done accepted>done (warning)",
            "u-coord state rolling-out>closed",
            "u-coord outcome >success",
        ], history);
        var shown = await _w.SayAsync("/ticket #1", TicketWorld.Eve);
        Assert.Contains("closed (success)", shown);
        Assert.Contains("- Alpha: done (success)", shown);
        Assert.Contains("3 h: clean upgrade", shown);
        Assert.Contains("- Summary: two sites, no blocking issue", shown);
        Assert.DoesNotContain("Next:", shown);
        Assert.Contains("the ticket is closed; nothing more can happen to it",
            await _w.SayAsync("/close #1 outcome=success summary=again", TicketWorld.Coordinator));
    }
}

public sealed class FullWalkTestsOnSqlite() : FullWalkTests(null);

[Collection(PostgresCollection.Name)]
public sealed class FullWalkTestsOnPostgres(PostgresServer postgres) : FullWalkTests(postgres);
