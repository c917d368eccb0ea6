using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.EarlyAdopters;

public sealed class ErasureTests : IDisposable
{
    private readonly TicketWorld _w = new();

    [Fact]
    public async Task Erase_RemovesEmailAndName_PutsAPseudonymInHistory_AndRecordsTheErasure()
    {
        await _w.CastAsync();
        Assert.Contains("added", await _w.SayAsync("/site add name=Gamma stack=glite", TicketWorld.Coordinator));
        Assert.Contains("now an admin", await _w.SayAsync("/site admin name=Gamma user=u-dana email=dana@example.org display=\"Dana Scully\"", TicketWorld.Coordinator));
        var n = await _w.OpenAsync(); // the provider's name is in the ticket and its history
        var pseudonym = Erasure.Pseudonym("u-dana");

        var reply = await _w.SayAsync("/erase user=u-dana", TicketWorld.Coordinator);
        Assert.Contains($"history shows **{pseudonym}**", reply);

        var sites = await _w.SayAsync("/sites", TicketWorld.Coordinator);
        Assert.DoesNotContain("dana@example.org", sites);
        Assert.DoesNotContain("Dana Scully", sites);
        var (admin, changes, erasures) = await _w.DbAsync(async db => (await db.SiteAdmins.AsNoTracking().SingleAsync(a => a.UserId == "u-dana"),
            await db.RegistryChanges.AsNoTracking().ToListAsync(), await db.Erasures.AsNoTracking().ToListAsync()));
        Assert.Null(admin.Email);
        Assert.Equal(pseudonym, admin.Name);
        Assert.Contains(changes, c => c.What == "admin added" && c.To == $"{pseudonym} ({pseudonym})");
        Assert.DoesNotContain(changes, c => $"{c.From} {c.To} {c.Reason}".Contains("Dana") || $"{c.From} {c.To} {c.Reason}".Contains("dana@"));
        var erased = Assert.Single(erasures);
        Assert.Equal(TicketWorld.Coordinator, erased.ByUserId);
        Assert.Equal(pseudonym, erased.Pseudonym);
        Assert.DoesNotContain("u-dana", erased.What);

        Assert.Contains("Erased", await _w.SayAsync($"/erase user={TicketWorld.Provider}", TicketWorld.Coordinator));
        var history = await _w.DbAsync(db => db.TicketHistory.AsNoTracking().Where(h => h.TicketId == n).ToListAsync());
        Assert.All(history.Where(h => h.ByUserId == TicketWorld.Provider), h => Assert.Equal(Erasure.Pseudonym(TicketWorld.Provider), h.ByName));
        Assert.Contains(Erasure.Pseudonym(TicketWorld.Provider), await _w.SayAsync($"/ticket #{n}", TicketWorld.Coordinator));
    }

    [Fact]
    public async Task Erase_IsForCoordinators_AndSaysSoWhenItHoldsNothing()
    {
        await _w.CastAsync();
        Assert.Contains("coordinator", await _w.SayAsync("/erase user=u-alice", TicketWorld.Bob), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Nothing was erased", await _w.SayAsync("/erase user=u-nobody", TicketWorld.Coordinator));
        Assert.Contains("user=", await _w.SayAsync("/erase", TicketWorld.Coordinator));
    }

    public void Dispose() => _w.Dispose();
}
