using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Conversation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Ticket writes under contention: nothing lost, nothing doubled, and no "database is locked" reaching users.</summary>
public abstract class ConcurrencyTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await TicketWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TwentySitesAcceptingAtOnce_GiveOneMoveToRollingOutAndTwentyParticipations()
    {
        await _w.CastAsync();
        var admins = Enumerable.Range(1, 20).Select(i => $"u-ea{i:00}").ToList();
        foreach (var (admin, i) in admins.Select((a, i) => (a, i))) await _w.SiteAsync($"Site{i:00}", admin, "cream");
        var n = await _w.VerifiedAsync();
        var versionBefore = await _w.DbAsync(db => db.Tickets.Where(t => t.Id == n).Select(t => t.RowVersion).SingleAsync());
        var callsBefore = _w.App.Connector.Calls.Count;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var posts = admins.Select(admin => Task.Run(async () =>
        {
            await start.Task;
            return await _w.App.PostAsync(BotApp.Message($"/accept #{n}", admin, TicketWorld.Names(admin), "conv-" + admin));
        })).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(posts);

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        // The accepts also queue notices (provider, card updates); count the replies only.
        var replies = new List<string>();
        for (var count = callsBefore + 20; replies.Count < 20; count++)
            replies = (await _w.App.Connector.WaitForCallsAsync(count, TimeSpan.FromSeconds(60)))
                .Skip(callsBefore).Where(c => c.Op == "reply").Select(c => c.Activity.Text ?? "").ToList();
        Assert.Equal(20, replies.Count);
        Assert.All(replies, r => Assert.Contains($"accepted #{n}", r));
        Assert.Equal(20, await _w.DbAsync(db => db.Participations.CountAsync(p => p.TicketId == n)));
        Assert.Equal(1, await _w.DbAsync(db => db.TicketHistory.CountAsync(h => h.TicketId == n && h.What == "state" && h.To == "rolling-out")));
        Assert.Equal(20, await _w.DbAsync(db => db.TicketHistory.CountAsync(h => h.TicketId == n && h.What == "site accepted")));
        var ticket = await _w.DbAsync(db => db.Tickets.SingleAsync(t => t.Id == n));
        Assert.Equal(TicketState.RollingOut, ticket.State);
        Assert.Equal(versionBefore + 20, ticket.RowVersion);
    }

    [Fact]
    public async Task ReleasesOfANewComponentOpenedAtOnce_AddItToTheCatalogueOnce()
    {
        await _w.CastAsync();
        var callsBefore = _w.App.Connector.Calls.Count;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var posts = Enumerable.Range(1, 6).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await _w.App.PostAsync(BotApp.Message(
                $"/release new component=Brandnew new-component=yes version=1.{i} stack=arc type=minor {TicketWorld.Links}", TicketWorld.Provider, "Prov", $"conv-{i}"));
        })).ToList();
        start.SetResult();
        await Task.WhenAll(posts);

        var replies = (await _w.App.Connector.WaitForCallsAsync(callsBefore + 6, TimeSpan.FromSeconds(60)))
            .Skip(callsBefore).Select(c => c.Activity.Text ?? "").ToList();
        Assert.All(replies, r => Assert.Contains("Opened ticket #", r));
        Assert.Single(replies, r => r.Contains("was not in the catalogue", StringComparison.Ordinal));
        Assert.Equal(6, await _w.DbAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(1, await _w.DbAsync(db => db.Components.CountAsync(c => c.Name.ToLower() == "brandnew")));
    }

    [Fact]
    public async Task StaleWrite_IsRejectedByTheVersionColumn()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        var factory = _w.App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        await using var first = await factory.CreateDbContextAsync();
        await using var second = await factory.CreateDbContextAsync();
        var a = await first.Tickets.SingleAsync(t => t.Id == n);
        var b = await second.Tickets.SingleAsync(t => t.Id == n);

        a.Summary = "first";
        a.Touch(DateTimeOffset.UtcNow);
        await first.SaveChangesAsync();
        b.Summary = "second";
        b.Touch(DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        Assert.Equal("first", await _w.DbAsync(db => db.Tickets.Where(t => t.Id == n).Select(t => t.Summary).SingleAsync()));
    }

    [Fact]
    public async Task Runner_RetriesTheWholeCommandAfterAConflict()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        var attempts = 0;

        var reply = await RunAsync(async s =>
        {
            attempts++;
            var ticket = (await s.FindTicketAsync(n))!;
            ticket.Summary = $"attempt {attempts}";
            ticket.Touch(s.Now);
            if (attempts == 1) MakeStale(s, ticket);
            await s.Db.SaveChangesAsync();
            return new Reply("saved");
        });

        Assert.Equal(("saved", 2), (reply, attempts));
        Assert.Equal("attempt 2", await _w.DbAsync(db => db.Tickets.Where(t => t.Id == n).Select(t => t.Summary).SingleAsync()));
    }

    [Fact]
    public async Task Runner_GivesUpAfterTheBoundAndChangesNothing()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        var attempts = 0;

        var reply = await RunAsync(async s =>
        {
            attempts++;
            var ticket = (await s.FindTicketAsync(n))!;
            ticket.Summary = "never";
            ticket.Touch(s.Now);
            s.Db.TicketComments.Add(new TicketComment { TicketId = n, At = s.Now, ByUserId = "x", ByName = "x", Text = "never" });
            MakeStale(s, ticket);
            await s.Db.SaveChangesAsync();
            return new Reply("saved");
        });

        Assert.Equal(new CommandOptions().ConcurrencyAttempts, attempts);
        Assert.Contains("changed nothing", reply);
        Assert.Null(await _w.DbAsync(db => db.Tickets.Where(t => t.Id == n).Select(t => t.Summary).SingleAsync()));
        Assert.Equal(0, await _w.DbAsync(db => db.TicketComments.CountAsync()));
    }

    /// <summary>Pretends another writer bumped the version after this attempt read the ticket.</summary>
    private static void MakeStale(CommandSession s, Ticket ticket) =>
        s.Db.Entry(ticket).Property(t => t.RowVersion).OriginalValue = ticket.RowVersion + 100;

    [Fact]
    public async Task Pipeline_RunsACommandAgainAfterAUniqueKeyRace_AndKeepsTheWinnersRow()
    {
        await _w.CastAsync();
        var siteId = await _w.SiteAsync("Gamma", "u-gamma");
        var attempts = 0;

        // Another command committed the site first; this one's first attempt acts on what it read before that write.
        await _w.DbAsync(async db =>
        {
            db.Commitments.Add(new Commitment { SiteId = siteId, Component = "argus", CommittedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var reply = await RunAsync(async s =>
        {
            attempts++;
            if (attempts > 1 && await s.Db.Commitments.AnyAsync(c => c.SiteId == siteId && c.Component == "argus")) return new Reply("already there");
            s.Db.Commitments.Add(new Commitment { SiteId = siteId, Component = "argus", CommittedAt = s.Now });
            return new Reply("added");
        });

        Assert.Equal(("already there", 2), (reply, attempts));
        Assert.Equal(1, await _w.DbAsync(db => db.Commitments.CountAsync(c => c.SiteId == siteId && c.Component == "argus")));
    }

    /// <summary>Runs a command body through the real pipeline, as the coordinator, and returns the text it answered.</summary>
    private async Task<string> RunAsync(CommandHandler body)
    {
        var turn = new TurnContext(BotApp.Message("/test", TicketWorld.Coordinator), _w.App.Services.GetRequiredService<OutboundQueue>());
        var command = new CommandDefinition("test", "Coordinator", ["/test"], "a test body", Writes: true, body);
        await _w.App.Services.GetRequiredService<CommandPipeline>().RunAsync(turn, command, CommandParser.Parse("/test").Command!, CancellationToken.None);
        return turn.Sent.Single().Text!;
    }
}

public sealed class ConcurrencyTestsOnSqlite() : ConcurrencyTests(null);

[Collection(PostgresCollection.Name)]
public sealed class ConcurrencyTestsOnPostgres(PostgresServer postgres) : ConcurrencyTests(postgres);
