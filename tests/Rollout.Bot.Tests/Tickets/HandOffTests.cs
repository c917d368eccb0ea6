using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Seed 002 §2.4: whoever acts next is told, so that nobody has to poll — the coordinators least of all.</summary>
public abstract class HandOffTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Ops = "channel:operations";
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Open_TellsEveryRepositoryManager_WithTheCommandAndTheTarget()
    {
        await _w.CastAsync();
        await _w.GrantAsync("u-rita", Role.Repository);

        var told = await _w.ToldByAsync(1, () => _w.OpenAsync());

        var pull = told.Where(t => t.Key == "ticket:1:hand-off:opened").ToList();
        Assert.Equal(["user:u-repo", "user:u-rita"], pull.Select(t => t.Recipient).Order(StringComparer.Ordinal));
        Assert.Contains("#1 cream 1.2.3 (minor, glite) was opened by Prov", pull[0].Text);
        Assert.Contains("`/unverified #1`", pull[0].Text);
        Assert.Contains("Table 3 target:", pull[0].Text);
        Assert.DoesNotContain(told, t => t.Recipient == Ops);
    }

    [Fact]
    public async Task RevokedRole_IsNotTold_AndWhenNobodyHoldsTheRoleTheOperationsRoomHears()
    {
        await _w.CastAsync();
        await _w.DbAsync(db => db.RoleGrants.Where(g => g.UserId == Repository).ExecuteUpdateAsync(u => u.SetProperty(g => g.RevokedAt, DateTimeOffset.UtcNow)));

        var told = await _w.ToldByAsync(1, () => _w.OpenAsync());

        var room = Assert.Single(told);
        Assert.Equal(Ops, room.Recipient);
        Assert.Contains("waits for repository managers to pull its packages, and nobody holds the repository role", room.Text);
        Assert.Contains("`/role grant user=… role=repository`", room.Text);
    }

    [Fact]
    public async Task Pull_TellsTheTechnologyUnit_AndVerifyTellsTheCoordinatorsAtOnce()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var pulled = await _w.ToldByAsync(n, () => _w.SayAsync($"/unverified #{n}", Repository));
        var verify = Assert.Single(pulled, t => t.Key == $"ticket:{n}:hand-off:unverified");
        Assert.Equal("user:u-tu", verify.Recipient);
        Assert.Contains($"`/verify #{n} repo=URL`", verify.Text);
        Assert.Contains($"`/reject #{n} reason=\"…\"`", verify.Text);

        var verified = await _w.ToldByAsync(n, () => _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TechUnit));
        var room = Assert.Single(verified, t => t.Recipient == Ops);
        Assert.Contains($"#{n} cream 1.2.3 (minor) is verified by Tu and ready for staged rollout: the release card went to the glite early adopters.", room.Text);
        Assert.Contains("A site should accept it by", room.Text);
    }

    [Fact]
    public async Task LastSiteDone_TellsTheCoordinatorsItIsReadyToClose_AndDeadlinesSaysSo()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        Assert.Contains("Beta accepted", await _w.SayAsync($"/accept #{n}", Bob));

        var first = await _w.ToldByAsync(n, () => _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", Alice));
        Assert.DoesNotContain(first, t => t.Recipient == Ops);
        Assert.DoesNotContain("Waiting for the coordinators", await _w.SayAsync("/deadlines", Coordinator));

        var last = await _w.ToldByAsync(n, () => _w.SayAsync($"/withdraw #{n} site=Beta reason=\"silent\"", Coordinator));
        var ready = Assert.Single(last, t => t.Recipient == Ops);
        Assert.Contains($"#{n} cream 1.2.3 (minor) is ready to close: every accepted site is done (Alpha: success).", ready.Text);

        var deadlines = await _w.SayAsync("/deadlines", Eve);
        Assert.Contains($"Waiting for the coordinators:\n\n- #{n} cream 1.2.3 (minor): ready to close, every accepted site is done", deadlines);

        await _w.SayAsync($"/close #{n} outcome=success summary=\"fine\"", Coordinator);
        var after = await _w.SayAsync("/deadlines", Eve);
        Assert.DoesNotContain("Waiting for the coordinators", after);
        Assert.Contains($"Waiting for the repository managers:\n\n- #{n} cream 1.2.3 (minor): packages to move to production", after);
    }

    [Fact]
    public async Task SiteReportingAProblem_ReachesTheCoordinators_ASuccessDoesNot()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        await _w.SayAsync($"/accept #{n}", Bob);

        var warning = await _w.ToldByAsync(n, () => _w.SayAsync($"/report #{n} outcome=warning notes=\"yaim needs a manual step\"", Bob));

        var room = Assert.Single(warning, t => t.Recipient == Ops);
        Assert.Equal($"ticket:{n}:hand-off:problem:2", room.Key);
        Assert.Contains("Beta reported warning: yaim needs a manual step", room.Text);
        Assert.Contains(warning, t => t.Recipient == "user:u-prov" && t.Text.Contains("yaim needs a manual step")); // §2.4 3.5
    }

    [Fact]
    public async Task CloseToProduction_TellsTheRepositoryManagers_AndAReject_DoesNot()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", Alice);
        var other = await _w.VerifiedAsync();

        var closed = await _w.ToldByAsync(n, () => _w.SayAsync($"/close #{n} outcome=success summary=\"fine\"", Coordinator));
        var rejected = await _w.ToldByAsync(other, () => _w.SayAsync($"/close #{other} outcome=reject summary=\"nobody took it\"", Coordinator));

        var move = Assert.Single(closed, t => t.Key == $"ticket:{n}:hand-off:to-production");
        Assert.Equal("user:u-repo", move.Recipient);
        Assert.Contains($"from the staged-rollout repository https://repo.example.org/sr/{n} to production", move.Text);
        Assert.DoesNotContain(rejected, t => t.Key.Contains("hand-off:to-production"));
    }
}

public sealed class HandOffTestsOnSqlite() : HandOffTests(null);

[Collection(PostgresCollection.Name)]
public sealed class HandOffTestsOnPostgres(PostgresServer postgres) : HandOffTests(postgres);
