using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Every command re-checks the caller's role; a refusal changes nothing and says who may do it.</summary>
public sealed class RoleCheckTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Theory]
    [InlineData("/release new component=x version=1 stack=arc type=minor " + TicketWorld.Links, TicketWorld.Alice, "software providers and coordinators")]
    [InlineData("/release new component=x version=1 stack=arc type=minor " + TicketWorld.Links, TicketWorld.Repository, "software providers and coordinators")]
    [InlineData("/unverified #{0}", TicketWorld.Provider, "repository managers")]
    [InlineData("/unverified #{0}", TicketWorld.Coordinator, "repository managers")]
    [InlineData("/verify #{0} repo=https://r.org", TicketWorld.Repository, "the technology unit")]
    [InlineData("/reject #{0} reason=x", TicketWorld.Provider, "the technology unit")]
    [InlineData("/accept #{0}", TicketWorld.Eve, "site admins of early-adopter sites")]
    [InlineData("/accept #{0}", TicketWorld.Coordinator, "site admins of early-adopter sites")]
    [InlineData("/report #{0} outcome=success notes=x", TicketWorld.TechUnit, "site admins of early-adopter sites")]
    [InlineData("/close #{0} outcome=reject summary=x", TicketWorld.Alice, "coordinators")]
    [InlineData("/close #{0} outcome=reject summary=x", TicketWorld.TechUnit, "coordinators")]
    [InlineData("/withdraw #{0} site=Alpha reason=x", TicketWorld.Provider, "coordinators")]
    [InlineData("/emergency #{0} skip reason=x", TicketWorld.Security, "coordinators")]
    public async Task Command_WithoutTheRole_IsRefusedAndChangesNothing(string command, string userId, string who)
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        var history = await _w.DbAsync(db => db.TicketHistory.CountAsync());

        var reply = await _w.SayAsync(string.Format(command, n), userId);

        Assert.StartsWith($"Only {who} can use `/", reply);
        Assert.Equal(1, await _w.DbAsync(db => db.Tickets.CountAsync()));
        Assert.Equal(history, await _w.DbAsync(db => db.TicketHistory.CountAsync()));
        Assert.Equal("Certified", await _w.StateAsync(n));
    }

    [Fact]
    public async Task Coordinator_MayOpenATicket()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync($"/release new component=x new-component=yes version=1 stack=arc type=minor {TicketWorld.Links}", TicketWorld.Coordinator);

        Assert.Contains("Opened ticket #1", reply);
    }

    [Theory]
    [InlineData("/ticket #{0}")]
    [InlineData("/tickets")]
    [InlineData("/comment #{0} \"looks good\"")]
    public async Task AnyoneMaySeeAndCommentOnAnOrdinaryTicket(string command)
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync(string.Format(command, n), TicketWorld.Eve);

        Assert.Contains($"#{n}", reply);
        Assert.DoesNotContain("There is no ticket", reply);
    }
}
