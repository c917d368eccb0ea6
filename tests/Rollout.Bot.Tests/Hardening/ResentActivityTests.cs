using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.Hardening;

/// <summary>
/// A channel's re-send of one activity (same channel, conversation and id) is processed once across instances and
/// restarts (issue 12 item 14), and a turn that failed is processed again when re-sent (issue 10 item 3).
/// </summary>
public abstract class ResentActivityTests(PostgresServer? postgres)
{
    private const string ReleaseNew = "/release new component=cream version=7.7.7 stack=glite type=minor " + TicketWorld.Links;

    private async Task<Dictionary<string, string?>> SettingsAsync() => postgres is null ? [] : new()
    {
        ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync(),
    };

    private static Task<HttpResponseMessage> ResendAsync(TicketWorld world, string text, string id) =>
        world.App.PostAsync(BotApp.Message(text, TicketWorld.Provider, "Prov", "conv-" + TicketWorld.Provider, id: id));

    [Fact]
    public async Task TheSameActivityToTwoInstancesOnOneDatabase_OpensOneTicket()
    {
        var settings = await SettingsAsync();
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        using var a = new TicketWorld(settings, dataFolder: folder);
        using var b = new TicketWorld(settings, dataFolder: folder);
        await a.CastAsync();

        Assert.Equal(HttpStatusCode.OK, (await ResendAsync(a, ReleaseNew, "act-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ResendAsync(b, ReleaseNew, "act-1")).StatusCode);

        Assert.Equal(1, await b.DbAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task TheSameActivityBeforeAndAfterARestart_OpensOneTicket()
    {
        var settings = await SettingsAsync();
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        var before = new TicketWorld(settings, dataFolder: folder);
        await before.CastAsync();
        await ResendAsync(before, ReleaseNew, "act-2");
        var reference = await before.DbAsync(db => db.Tickets.CountAsync());
        await before.App.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>().StopAsync();

        using var after = new TicketWorld(settings, dataFolder: folder);
        await ResendAsync(after, ReleaseNew, "act-2");
        await ResendAsync(after, ReleaseNew, "act-3");

        Assert.Equal(1, reference);
        Assert.Equal(2, await after.DbAsync(db => db.Tickets.CountAsync()));
        before.Dispose();
    }

    [Fact]
    public async Task TheSameActivityToTwoInstancesAtOnce_OpensOneTicket()
    {
        var settings = await SettingsAsync();
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        using var a = new TicketWorld(settings, dataFolder: folder);
        using var b = new TicketWorld(settings, dataFolder: folder);
        await a.CastAsync();
        _ = b.App.Services;

        for (var i = 0; i < 5; i++)
            await Task.WhenAll(ResendAsync(a, ReleaseNew, $"race-{i}"), ResendAsync(b, ReleaseNew, $"race-{i}"));

        Assert.Equal(5, await b.DbAsync(db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task ManyActivitiesEachSentThreeTimesAtOnceToOneInstance_OpenOneTicketEach()
    {
        // The claims are written in batches, one statement each: copies of one activity in one batch are claimed once,
        // and PostgreSQL must not be asked to update one row twice in a statement.
        using var world = new TicketWorld(await SettingsAsync());
        await world.CastAsync();

        var sends = Enumerable.Range(0, 12).SelectMany(i => Enumerable.Repeat($"burst-{i}", 3))
            .Select(id => ResendAsync(world, ReleaseNew, id)).ToList();
        var answers = await Task.WhenAll(sends);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(12, await world.DbAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(12, await world.DbAsync(db => db.Database.SqlQuery<string>($"SELECT activity_key AS \"Value\" FROM seen_activities").CountAsync()));
    }

    [Fact]
    public async Task AThrowingCardHandler_IsApologisedFor_AndTheChannelsResendIsProcessed()
    {
        var settings = await SettingsAsync();
        var runs = 0;
        using var world = new TicketWorld(settings, services =>
        {
            services.AddCommand(new CommandDefinition("flaky", "Everyone", ["/flaky"], "fails the first time", Writes: true,
                _ => Interlocked.Increment(ref runs) == 1 ? throw new InvalidOperationException("first time") : Task.FromResult<Reply>("done at last")));
            services.AddCardVerb(new CardVerbDefinition("test.flaky", "flaky", []));
        });
        var click = BotApp.Message("", id: "click-1");
        click.Text = null;
        click.Value = JsonSerializer.SerializeToElement(new { verb = "test.flaky" });

        Assert.Equal(HttpStatusCode.OK, (await world.App.PostAsync(click)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.App.PostAsync(click)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.App.PostAsync(click)).StatusCode);

        var replies = (await world.App.Connector.WaitForCallsAsync(2)).Select(c => c.Activity.Text ?? "").ToList();
        Assert.Equal(2, runs); // the failed turn ran again; the completed one was not run a third time
        Assert.StartsWith("Sorry, `/flaky` failed on my side", replies[0]);
        Assert.Equal("done at last", replies[1]);
    }

    [Fact]
    public async Task AHugeActivityId_IsRememberedByABoundedKey()
    {
        using var world = new TicketWorld(await SettingsAsync());
        var id = new string('x', 100_000);

        await world.App.PostAsync(BotApp.Message("/help", id: id));
        await world.App.PostAsync(BotApp.Message("/help", id: id));

        Assert.Single(await world.App.Connector.WaitForCallsAsync(1));
        var keys = await world.DbAsync(db => db.Database.SqlQuery<string>($"SELECT activity_key AS \"Value\" FROM seen_activities").ToListAsync());
        Assert.Equal(64, Assert.Single(keys).Length);
    }
}

public sealed class ResentActivitySqliteTests() : ResentActivityTests(null);

[Collection(PostgresCollection.Name)]
public sealed class ResentActivityPostgresTests(PostgresServer postgres) : ResentActivityTests(postgres);
