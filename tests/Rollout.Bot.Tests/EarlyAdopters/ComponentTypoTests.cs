using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.EarlyAdopters;

/// <summary>A misspelt component is answered with "did you mean", and a new component joins the catalogue only on purpose.</summary>
public abstract class ComponentTypoTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await TicketWorld.StartAsync(postgres);
        await _w.CastAsync();
        Assert.Contains("added to the catalogue", await _w.SayAsync("/component add name=glite-CREAM stack=glite", TicketWorld.Coordinator));
    }

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    private const string Release = "/release new version=1.0 stack=glite type=minor " + TicketWorld.Links;

    [Fact]
    public async Task ReleaseOfAMisspeltComponent_AsksDidYouMean_AndOpensNothing()
    {
        var reply = await _w.SayAsync($"{Release} component=glite-CRAEM", TicketWorld.Provider);

        Assert.Contains("Did you mean **glite-CREAM**?", reply);
        Assert.Contains("`component=glite-CREAM`", reply);
        Assert.Equal(0, await _w.DbAsync(db => db.Tickets.CountAsync()));
        Assert.False(await _w.DbAsync(db => db.Components.AnyAsync(c => c.Name == "glite-CRAEM")));
    }

    [Fact]
    public async Task NewComponent_IsAddedOnlyWhenSaidSo()
    {
        var refused = await _w.SayAsync($"{Release} component=storm", TicketWorld.Provider);
        Assert.Contains("There is no component **storm** in the catalogue", refused);
        Assert.Contains("new-component=yes", refused);
        Assert.DoesNotContain("Did you mean", refused);

        var opened = await _w.SayAsync($"{Release} component=glite-CRAEM new-component=yes", TicketWorld.Provider);

        Assert.Contains("Opened ticket #1: glite-CRAEM", opened);
        Assert.Contains("I added it under the glite stack", opened);
        Assert.True(await _w.DbAsync(db => db.Components.AnyAsync(c => c.Name == "glite-CRAEM")));
        Assert.Contains("new-component= is yes or no", await _w.SayAsync($"{Release} component=x new-component=maybe", TicketWorld.Provider));
    }

    [Fact]
    public async Task KnownComponentInAnotherCase_IsTheCatalogueSpelling()
    {
        Assert.Contains("Opened ticket #1: glite-CREAM 1.0", await _w.SayAsync($"{Release} component=GLITE-cream", TicketWorld.Provider));
    }

    [Fact]
    public async Task CommitmentToAMisspeltComponent_AsksDidYouMean_UnlessSaidNew()
    {
        var refused = await _w.SayAsync("/commit site=Beta component=glite-CREAN", TicketWorld.Coordinator);
        Assert.Contains("Did you mean **glite-CREAM**?", refused);
        Assert.Equal(0, await _w.DbAsync(db => db.Commitments.CountAsync(c => c.Component.StartsWith("glite"))));

        Assert.Contains("is committed to glite-CREAM", await _w.SayAsync("/commit site=Beta component=glite-cream", TicketWorld.Coordinator));
        Assert.Contains("New component **glite-CREAN**",
            await _w.SayAsync("/commit site=Alpha component=glite-CREAN new-component=yes", TicketWorld.Coordinator));
        Assert.Contains("Did you mean **glite-CREAM**",
            await _w.SayAsync("/join site=Gamma name=Gil email=gil@example.org component=glite-CRAEM", TicketWorld.Eve));
    }

    [Theory]
    [InlineData("glite-craem", "glite-cream", 1)]
    [InlineData("cream", "crema", 1)]
    [InlineData("cream", "cream", 0)]
    [InlineData("cram", "cream", 1)]
    [InlineData("storm", "cream", 4)]
    public void TypoDistance_CountsASwapAsOneEdit(string a, string b, int distance) =>
        Assert.Equal(distance, ComponentCatalogue.TypoDistance(a, b));
}

public sealed class ComponentTypoTestsOnSqlite() : ComponentTypoTests(null);

[Collection(PostgresCollection.Name)]
public sealed class ComponentTypoTestsOnPostgres(PostgresServer postgres) : ComponentTypoTests(postgres);
