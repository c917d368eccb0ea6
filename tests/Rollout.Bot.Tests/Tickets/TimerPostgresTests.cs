using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Two bot instances on one PostgreSQL database sweep the same ticket timers: each notice is queued once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TimerPostgresTests(PostgresServer postgres)
{
    [Fact]
    public async Task TwoHostsOnOneDatabase_QueueEachDueNagExactlyOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync(),
        };
        using var one = new TimerWorld(settings);
        using var two = new TimerWorld(settings, clock: one.Clock);
        await one.World.CastAsync();
        var tickets = new List<long>();
        for (var i = 0; i < 5; i++) tickets.Add(await one.World.VerifiedAsync());

        one.At("2026-11-24 10:00");
        var now = one.Clock.GetUtcNow();
        var fired = await Task.WhenAll(Task.Run(() => one.Runner.RunDueAsync(now)), Task.Run(() => two.Runner.RunDueAsync(now)));

        Assert.Equal(10, fired.Sum()); // per ticket: the nag and the (met) repository target check
        foreach (var n in tickets)
            Assert.Equal(["channel:early-adopters/glite", "user:u-alice"], await one.RecipientsAsync($"ticket:{n}:acceptance-nag:1"));
        var rows = await one.World.DbAsync(db => db.Notices.CountAsync(x => x.DedupeKey.Contains("acceptance")));
        Assert.Equal(15, rows); // 5 × (channel + Alice) nags, 5 escalations
    }
}
