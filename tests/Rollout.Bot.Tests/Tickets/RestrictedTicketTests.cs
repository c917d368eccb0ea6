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
    [InlineData(TicketWorld.Repository)] // while its packages wait to be pulled
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
    public async Task RepositoryManager_SeesARestrictedTicketOnlyWhileItWaitsForThem_AndIsToldWhichRoleIsMissingOtherwise()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync(Advisory);

        Assert.Contains("now unverified", await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository));
        Assert.Equal("Unverified", await _w.StateAsync(n));

        // They pulled it, so they know it exists: no pretending, but no details either.
        var refused = await _w.SayAsync($"/ticket #{n}", TicketWorld.Repository);
        Assert.StartsWith($"#{n} is a restricted security release, and you may not see it now. You (u-repo) have repository", refused);
        Assert.Contains("coordinators, the technology unit, the security group", refused);
        Assert.DoesNotContain("cream", refused);
        Assert.Contains($"There is no ticket #{n}", await _w.SayAsync($"/ticket #{n}", TicketWorld.Eve));

        Assert.Contains("is verified", await _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TicketWorld.TechUnit));
        Assert.Contains("accepted", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Contains("recorded", await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", TicketWorld.Alice));
        Assert.Contains("closed", await _w.SayAsync($"/close #{n} outcome=success summary=\"patched\"", TicketWorld.Coordinator));

        // Closed to production: the packages wait for them again, until they say where they are.
        Assert.Contains($"**#{n} cream 1.2.3**", await _w.SayAsync($"/ticket #{n}", TicketWorld.Repository));
        var moved = await _w.SayAsync($"/production #{n} repo=https://repo.example.org/prod/glite", TicketWorld.Repository);
        Assert.Contains("stays embargoed", moved);
        Assert.Contains("leaves your view", moved);
        Assert.StartsWith($"#{n} is a restricted security release", await _w.SayAsync($"/ticket #{n}", TicketWorld.Repository));

        Assert.Contains("is disclosed", await _w.SayAsync($"/disclose #{n}", TicketWorld.Coordinator));
        Assert.Contains($"**#{n} cream 1.2.3**", await _w.SayAsync($"/ticket #{n}", TicketWorld.Repository));
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
