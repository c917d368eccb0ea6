using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

public sealed class ReleaseNewTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task ReleaseNew_ByProvider_OpensACertifiedTicketWithAllItsFields()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync("/release new component=cream version=1.14.2 stack=gLite type=revision " + TicketWorld.Links +
            " docs=https://doc.example.org bugs=https://bugs.example.org/1,https://bugs.example.org/2 os=sl6 arch=x86_64", TicketWorld.Provider);

        Assert.Contains("Opened ticket #1: cream 1.14.2 (revision, glite), state certified.", reply);
        var ticket = await _w.DbAsync(db => db.Tickets.Include(t => t.History).SingleAsync());
        Assert.Equal((TicketState.Certified, ReleaseType.Revision, "glite", "sl6", "x86_64"), (ticket.State, ticket.Type, ticket.Stack, ticket.Os, ticket.Arch));
        Assert.Equal(["https://bugs.example.org/1", "https://bugs.example.org/2"], ticket.Bugs);
        Assert.Equal(("u-prov", "Prov"), (ticket.ProviderId, ticket.ProviderName));
        Assert.Equal("https://rel.example.org/cert", ticket.CertificationUrl);
        Assert.False(ticket.IsRestricted);
        Assert.Equal("created", Assert.Single(ticket.History).What);
    }

    [Fact]
    public async Task ReleaseNew_ForAComponentNotInTheCatalogue_AddsItAndSaysSo()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync($"/release new component=newthing new-component=yes version=1 stack=arc type=minor {TicketWorld.Links}", TicketWorld.Provider);

        Assert.Contains("'newthing' was not in the catalogue: I added it under the arc stack", reply);
        var component = await _w.DbAsync(db => db.Components.SingleAsync(c => c.Name == "newthing"));
        Assert.Equal(("arc", "u-prov"), (component.Stack, component.AddedBy));
    }

    [Fact]
    public async Task ReleaseNew_ForAKnownComponent_UsesTheCatalogueSpellingAndAddsNothing()
    {
        await _w.CastAsync();
        await _w.DbAsync(async db =>
        {
            db.Components.Add(new Rollout.Bot.EarlyAdopters.Component { Name = "DPM", Stack = "glite", AddedBy = "seed", AddedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var reply = await _w.SayAsync($"/release new component=dpm version=1 stack=glite type=minor {TicketWorld.Links}", TicketWorld.Provider);

        Assert.DoesNotContain("catalogue", reply);
        Assert.Equal("DPM", await _w.DbAsync(db => db.Tickets.Select(t => t.Component).SingleAsync()));
        Assert.Equal(2, await _w.DbAsync(db => db.Components.CountAsync())); // cream (the cast's) and DPM
    }

    [Fact]
    public async Task EmergencyRelease_MayComeWithoutLinks()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync("/release new component=cream version=1.2.4 stack=glite type=emergency", TicketWorld.Provider);

        Assert.Contains("Opened ticket #1", reply);
    }

    [Fact]
    public async Task SecurityAdvisory_MakesTheTicketRestricted()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync($"/release new component=cream version=1 stack=glite type=emergency security=https://svg.example.org/adv/9", TicketWorld.Provider);

        Assert.Contains("**restricted**", reply);
        Assert.True(await _w.DbAsync(db => db.Tickets.Select(t => t.SecurityAdvisoryUrl != null).SingleAsync()));
    }

    [Theory]
    [InlineData("component=cream version=1 stack=glite type=minor notes=https://a.org changelog=https://a.org", "cert= is missing")]
    [InlineData("component=cream version=1 stack=glite type=minor notes=ftp://a.org changelog=https://a.org cert=https://a.org", "notes= must be an absolute http(s) URL")]
    [InlineData("component=cream version=1 stack=glite type=minor notes=/relative changelog=https://a.org cert=https://a.org", "notes= must be an absolute http(s) URL")]
    [InlineData("component=cream version=1 stack=nope type=minor notes=https://a.org changelog=https://a.org cert=https://a.org", "unknown stack 'nope': use one of arc, glite")]
    [InlineData("component=cream version=1 stack=glite type=huge notes=https://a.org changelog=https://a.org cert=https://a.org", "unknown release type 'huge'")]
    [InlineData("component=cream version=1 stack=glite type=3 notes=https://a.org changelog=https://a.org cert=https://a.org", "unknown release type '3'")]
    [InlineData("version=1 stack=glite type=minor notes=https://a.org changelog=https://a.org cert=https://a.org", "component= is missing")]
    [InlineData("component=cream stack=glite type=minor notes=https://a.org changelog=https://a.org cert=https://a.org", "version= is missing")]
    [InlineData("component=cream version=1 stack=glite type=minor notes=https://a.org changelog=https://a.org cert=https://a.org bugs=https://b.org,nope", "bugs= must be an absolute http(s) URL")]
    [InlineData("component=cream version=1 stack=glite type=minor notes=https://a.org changelog=https://a.org cert=https://a.org colour=red", "I don't know 'colour='")]
    public async Task ReleaseNew_WithABadField_NamesTheProblemShowsUsageAndChangesNothing(string args, string problem)
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync("/release new " + args, TicketWorld.Provider);

        Assert.Contains(problem, reply);
        Assert.Contains("Usage: `/release new component=", reply);
        Assert.Equal(0, await _w.DbAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(["cream"], await _w.DbAsync(db => db.Components.Select(c => c.Name).ToListAsync())); // the cast's, nothing added
    }

    [Fact]
    public async Task ReleaseNew_WithSeveralProblems_ListsThemAll()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync("/release new component=cream stack=nope type=minor", TicketWorld.Provider);

        Assert.Contains("version= is missing", reply);
        Assert.Contains("unknown stack 'nope'", reply);
        Assert.Contains("notes= is missing", reply);
        Assert.Contains("changelog= is missing", reply);
    }

    [Fact]
    public async Task ConfiguredStacks_ReplaceTheDefaults()
    {
        using var w = new TicketWorld(new() { ["Rollout:Stacks:0"] = "cloud", ["Rollout:Stacks:1"] = "hpc" });
        await w.GrantAsync(TicketWorld.Provider, Rollout.Bot.Conversation.Role.Provider);

        var reply = await w.SayAsync($"/release new component=x new-component=yes version=1 stack=glite type=minor {TicketWorld.Links}", TicketWorld.Provider);

        Assert.Contains("unknown stack 'glite': use one of cloud, hpc\n", reply);
    }
}
