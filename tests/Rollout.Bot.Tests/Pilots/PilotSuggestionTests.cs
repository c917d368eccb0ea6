using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Pilots;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>Seed 004: a ticket carries its update category, and one that calls for a pilot gets the right partner bin suggested.</summary>
public abstract class PilotSuggestionTests(PostgresServer? postgres) : IAsyncLifetime
{
    private PilotWorld _w = null!;

    public async Task InitializeAsync() => _w = await PilotWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReleaseWithAServerCategory_SuggestsAPilotWithTheGoldPartners_ToTheProviderAndTheCoordinators()
    {
        await _w.World.CastAsync();
        await _w.PartnerAsync("Gamma", PilotWorld.Eve, "gold");

        var n = await _w.World.OpenAsync("category=server-bc-major");

        var ticket = await _w.World.DbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == n));
        Assert.Equal(UpdateCategory.ServerMajor, ticket.UpdateCategory);
        var told = await _w.World.NoticesAsync(n);
        Assert.Contains(told, t => t.Recipient == "channel:operations" && t.Text.Contains("calls for a pilot in production run by gold partners (seed 004); registered: Gamma"));
        Assert.Contains("category: backward-compatible server update (major)", await _w.SayAsync($"/ticket #{n}", TicketWorld.Provider));

        // The request can take the category from the ticket.
        var requested = await _w.SayAsync($"/pilot request ticket=#{n} title=\"CREAM 1.2.3\" requester=\"CREAM team\" kind=developer", TicketWorld.Provider);
        Assert.Contains("Pilot **P1** requested: CREAM 1.2.3 (cream 1.2.3), backward-compatible server update (major)", requested);
    }

    [Fact]
    public async Task ClientCompatibleOrNoCategory_SuggestsNothing_AndABadCategoryIsNamed()
    {
        await _w.World.CastAsync();
        var n = await _w.World.OpenAsync("category=client-bc");
        Assert.DoesNotContain(await _w.World.NoticesAsync(n), t => t.Key.Contains("pilot-suggested"));

        var bad = await _w.SayAsync($"/release new component=cream version=9 stack=glite type=minor {TicketWorld.Links} category=server-ish", TicketWorld.Provider);
        Assert.Contains("unknown update category 'server-ish': use one of client-bc, client-nbc, server-bc-minor, server-bc-major, server-nbc", bad);
    }

    [Fact]
    public async Task EditingTheCategory_ToOneThatCallsForAPilot_TellsTheCoordinators()
    {
        await _w.World.CastAsync();
        var n = await _w.World.OpenAsync();

        var edited = await _w.SayAsync($"/ticket edit #{n} category=server-nbc", TicketWorld.Provider);

        Assert.Contains("category: not set → server-nbc", edited);
        Assert.Contains(await _w.World.NoticesAsync(n), t => t.Key == $"ticket:{n}:pilot-suggested:server-nbc" && t.Text.Contains("platinum partners"));
    }
}

public sealed class PilotSuggestionTestsOnSqlite() : PilotSuggestionTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PilotSuggestionTestsOnPostgres(PostgresServer postgres) : PilotSuggestionTests(postgres);
