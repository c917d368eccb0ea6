using Microsoft.EntityFrameworkCore;

using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>A ticket with a security advisory must not leak to anyone who is not entitled, by any command.</summary>
public abstract class RestrictedTicketTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Advisory = "security=https://svg.example.org/advisory/2011-01";
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await TicketWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(TicketWorld.Coordinator)]
    [InlineData(TicketWorld.TechUnit)]
    [InlineData(TicketWorld.Security)]
    [InlineData(TicketWorld.Provider)]
    [InlineData(TicketWorld.Alice)]
    public async Task EntitledPeople_SeeTheRestrictedTicket(string userId)
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync(Advisory);

        var shown = await _w.SayAsync($"/ticket #{n}", userId);
        var listed = await _w.SayAsync("/tickets", userId);

        Assert.Contains($"**#{n} cream 1.2.3**", shown);
        Assert.Contains("**restricted**", shown);
        Assert.Contains($"#{n} cream", listed);
    }

    [Theory]
    [InlineData(TicketWorld.Bob)]
    [InlineData(TicketWorld.Eve)]
    [InlineData(TicketWorld.Repository)]
    public async Task OthersMeetTheSameAnswerAsForANonexistentTicket(string userId)
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync(Advisory);
        var missing = n + 1;

        foreach (var command in new[] { "/ticket #{0}", "/comment #{0} \"hello\"", "/accept #{0}", "/unverified #{0}" })
        {
            var aboutRestricted = await _w.SayAsync(string.Format(command, n), userId);
            var aboutMissing = await _w.SayAsync(string.Format(command, missing), userId);
            Assert.Equal(aboutMissing.Replace($"#{missing}", "#N"), aboutRestricted.Replace($"#{n}", "#N"));
        }
        Assert.Equal("No tickets.", await _w.SayAsync("/tickets", userId));
        Assert.Equal("No tickets (certified).", await _w.SayAsync("/tickets state=certified", userId));
        Assert.Equal(0, await _w.DbAsync(db => db.TicketComments.CountAsync()));
    }

    [Fact]
    public async Task RepositoryManagerOfNoCommittedSite_CannotMoveARestrictedTicket()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync(Advisory);

        var reply = await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository);

        Assert.Equal($"There is no ticket #{n}. `/tickets` lists the tickets you can see.", reply);
        Assert.Equal("Certified", await _w.StateAsync(n));
    }

    [Fact]
    public async Task CommitmentThatEnded_NoLongerGrantsSight()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync(Advisory);
        await _w.DbAsync(async db =>
        {
            await db.Commitments.ExecuteUpdateAsync(c => c.SetProperty(x => x.EndedAt, DateTimeOffset.UtcNow));
            return 0;
        });

        Assert.Contains("There is no ticket", await _w.SayAsync($"/ticket #{n}", TicketWorld.Alice));
    }

    [Fact]
    public async Task ListingMixesVisibleAndHidden_ShowsOnlyTheVisible()
    {
        await _w.CastAsync();
        var open = await _w.OpenAsync();
        var hidden = await _w.OpenAsync(Advisory);

        var listed = await _w.SayAsync("/tickets", TicketWorld.Bob);

        Assert.Contains($"#{open} cream", listed);
        Assert.DoesNotContain($"#{hidden}", listed);
        Assert.Contains("**Tickets**: 1", listed);
    }
}

public sealed class RestrictedTicketTestsOnSqlite() : RestrictedTicketTests(null);

[Collection(PostgresCollection.Name)]
public sealed class RestrictedTicketTestsOnPostgres(PostgresServer postgres) : RestrictedTicketTests(postgres);
