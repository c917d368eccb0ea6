using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// Seed 002 §2.4 3.9 and §5: the broadcast tells every site what it needs — the known issues and workarounds of a
/// warning, where the packages are in production (recorded by the repository managers with <c>/production</c>).
/// </summary>
public abstract class ProductionBroadcastTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Broadcast = "channel:broadcast", Prod = "https://repo.example.org/prod/glite";
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    private async Task<long> ClosedAsync(string outcome, string summary)
    {
        var n = await _w.RollingOutAsync();
        await _w.SayAsync($"/report #{n} outcome={outcome} notes=\"as found\"", Alice);
        Assert.Contains("is closed", await _w.SayAsync($"/close #{n} outcome={outcome} summary=\"{summary}\"", Coordinator));
        return n;
    }

    [Fact]
    public async Task WarningSummary_ReachesEverySiteInTheBroadcast_WithTheProductionRepository()
    {
        await _w.CastAsync();
        var n = await ClosedAsync("warning", "known issue: the BDII restarts once; workaround: run yaim twice");
        Assert.DoesNotContain(await _w.NoticesAsync(n), t => t.Recipient == Broadcast);

        var reply = await _w.SayAsync($"/production #{n} repo={Prod}", Repository);

        Assert.Equal($"#{n} cream 1.2.3 is in the production repository {Prod}. The broadcast to every site is on its way.", reply);
        var broadcast = Assert.Single(await _w.NoticesAsync(n), t => t.Recipient == Broadcast).Text;
        Assert.Equal(
            $"cream 1.2.3 (glite, minor) goes to production with warnings after staged rollout at Alpha.\n" +
            "Known issues and workarounds: known issue: the BDII restarts once; workaround: run yaim twice\n" +
            $"Packages: {Prod}\nRelease notes: https://rel.example.org/notes", broadcast);
        var shown = await _w.SayAsync($"/ticket #{n}", Eve);
        Assert.Contains($"- Production repository: {Prod}", shown);
        Assert.Contains("production repository — → " + Prod, shown);
    }

    [Fact]
    public async Task ClosedCard_ShowsTheKnownIssuesAndTheProductionRepository()
    {
        await _w.CastAsync();
        var n = await ClosedAsync("warning", "workaround: restart tomcat after the upgrade");
        await _w.SayAsync($"/production #{n} repo={Prod}", Repository);
        var ticket = await _w.DbAsync(db => db.Tickets.Include(t => t.Participations).SingleAsync(t => t.Id == n));

        var card = Rollout.Bot.Tickets.ReleaseNoticeCard.Build(ticket, Rollout.Bot.Tickets.ReleaseCardFacts.None).ToJson().GetRawText();

        Assert.Contains("\"title\":\"Known issues\",\"value\":\"workaround: restart tomcat after the upgrade\"", card);
        Assert.Contains($"\"title\":\"Production\",\"value\":\"{Prod}\"", card);
    }

    [Fact]
    public async Task Production_IsRefusedWhereThereIsNothingToMove_AndForOthers()
    {
        await _w.CastAsync();
        var open = await _w.RollingOutAsync();
        var rejected = await _w.VerifiedAsync();
        await _w.SayAsync($"/close #{rejected} outcome=reject summary=\"no site\"", Coordinator);
        var done = await ClosedAsync("success", "fine");

        Assert.Contains("only a release closed with success or warning moves to production", await _w.SayAsync($"/production #{open} repo={Prod}", Repository));
        Assert.Contains("closed (reject): only a release closed with success or warning", await _w.SayAsync($"/production #{rejected} repo={Prod}", Repository));
        Assert.Contains("Only repository managers and coordinators can use `/production`", await _w.SayAsync($"/production #{done} repo={Prod}", Alice));
        Assert.Contains("repo= must be an absolute http(s) URL", await _w.SayAsync($"/production #{done} repo=prod-repo", Repository));
        Assert.Contains("The production repository URL is missing", await _w.SayAsync($"/production #{done}", Repository));
        Assert.DoesNotContain(await _w.NoticesAsync(done), t => t.Recipient == Broadcast);

        Assert.Contains("is on its way", await _w.SayAsync($"/production #{done} repo={Prod}", Coordinator));
        Assert.Contains("already has its production repository", await _w.SayAsync($"/production #{done} repo={Prod}", Repository));
        var again = await _w.SayAsync($"/production #{done} repo=https://mirror.example.org/glite", Repository);
        Assert.Contains("The broadcast already went out and is not sent again", again);
        Assert.Single(await _w.NoticesAsync(done), t => t.Recipient == Broadcast);
    }

    [Fact]
    public async Task EmergencySkip_AlsoWaitsForThePackagesToMove()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync(type: "emergency");
        await _w.SayAsync($"/emergency #{n} skip reason=\"actively exploited\"", Coordinator);

        Assert.Contains(await _w.NoticesAsync(n), t => t.Key == $"ticket:{n}:hand-off:to-production");
        await _w.SayAsync($"/production #{n} repo={Prod}", Repository);
        Assert.Contains("goes to production.\nSummary: Emergency release: staged rollout skipped. Justification: actively exploited",
            Assert.Single(await _w.NoticesAsync(n), t => t.Recipient == Broadcast).Text);
    }
}

public sealed class ProductionBroadcastTestsOnSqlite() : ProductionBroadcastTests(null);

[Collection(PostgresCollection.Name)]
public sealed class ProductionBroadcastTestsOnPostgres(PostgresServer postgres) : ProductionBroadcastTests(postgres);
