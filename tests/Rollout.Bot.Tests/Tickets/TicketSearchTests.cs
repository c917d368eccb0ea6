using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

public sealed class TicketSearchTests : IDisposable
{
    private const string Advisory = "security=https://sec.example.org/adv/1";
    private readonly TicketWorld _w = new();

    [Fact]
    public async Task Tickets_FilterByComponentVersionSiteAndText()
    {
        await _w.CastAsync();
        var cream = await _w.RollingOutAsync(); // Alpha accepted it
        var wms = await _w.OpenAsync("new-component=yes", component: "wms");
        Assert.Contains("now unverified", await _w.SayAsync($"/unverified #{wms}", TicketWorld.Repository));

        var byComponent = await _w.SayAsync("/tickets component=WMS", TicketWorld.Coordinator);
        Assert.Contains($"#{wms} wms", byComponent);
        Assert.DoesNotContain($"#{cream} cream", byComponent);
        Assert.Contains($"#{cream} cream", await _w.SayAsync("/tickets site=alpha", TicketWorld.Coordinator));
        Assert.DoesNotContain($"#{wms} wms", await _w.SayAsync("/tickets site=alpha", TicketWorld.Coordinator));
        Assert.Contains($"#{wms} wms", await _w.SayAsync("/tickets version=1.2 text=wm", TicketWorld.Coordinator));
        Assert.Equal("No tickets (version 9*).", await _w.SayAsync("/tickets version=9", TicketWorld.Coordinator));
    }

    [Fact]
    public async Task Tickets_SinceAndUntil_TakeWholeDays_AndBadDatesSayHowToWriteThem()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        Assert.Contains($"#{n} cream", await _w.SayAsync($"/tickets since={today} until={today}", TicketWorld.Coordinator));
        Assert.Contains("No tickets", await _w.SayAsync("/tickets until=2020-01-01", TicketWorld.Coordinator));
        Assert.Contains("write it as YYYY-MM-DD", await _w.SayAsync("/tickets since=yesterday", TicketWorld.Coordinator));
        Assert.Contains("is after", await _w.SayAsync("/tickets since=2026-05-01 until=2026-04-01", TicketWorld.Coordinator));
    }

    [Fact]
    public async Task Tickets_PageThroughMoreThanFifty()
    {
        await _w.CastAsync();
        await _w.DbAsync(async db =>
        {
            for (var i = 0; i < 55; i++)
                db.Tickets.Add(new Ticket
                {
                    Component = "apel", Version = $"2.{i}.0", Stack = "glite", ProviderId = TicketWorld.Provider, ProviderName = "Prov",
                    CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
                });
            await db.SaveChangesAsync();
            return 0;
        });
        var first = await _w.SayAsync("/tickets component=apel", TicketWorld.Coordinator);
        Assert.Contains("55, page 1 of 2", first);
        Assert.Contains("`page=2`", first);
        var second = await _w.SayAsync("/tickets component=apel page=2", TicketWorld.Coordinator);
        Assert.Equal(5, second.Split('\n').Count(l => l.StartsWith("- #")));
        Assert.Contains("past the end", await _w.SayAsync("/tickets component=apel page=3", TicketWorld.Coordinator));
    }

    [Fact]
    public async Task Search_NeverFindsARestrictedTicket_ForSomeoneNotEntitled()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync(Advisory);
        Assert.Equal("No tickets (component cream).", await _w.SayAsync("/tickets component=cream", TicketWorld.Bob));
        Assert.Equal("No tickets (\"cream\").", await _w.SayAsync("/tickets text=cream", TicketWorld.Bob));
        Assert.Contains($"#{n} cream", await _w.SayAsync("/tickets text=cream", TicketWorld.Security));
    }

    public void Dispose() => _w.Dispose();
}
