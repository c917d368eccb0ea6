using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tests.Tickets;

/// <summary><c>/deadlines</c>: what is due and overdue, without telling anyone about a restricted ticket they may not see.</summary>
public sealed class DeadlinesTests : IDisposable
{
    private readonly TimerWorld _t = new();
    private TicketWorld W => _t.World;

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task Deadlines_ListAcceptanceAndReportsDueAndOverdue()
    {
        await W.CastAsync();
        var waiting = await W.VerifiedAsync();
        var rolling = await W.VerifiedAsync();
        Assert.Contains("accepted", await W.SayAsync($"/accept #{rolling}", TicketWorld.Alice));
        await _t.RunAtAsync("2026-11-24 12:00");

        var reply = await _t.SayAsync("/deadlines", TicketWorld.Bob);
        Assert.Contains($"Overdue:\n\n- #{waiting} cream 1.2.3 (minor): a site to accept it — was due 2026-11-24 09:00 UTC", reply);
        Assert.Contains($"- #{rolling} cream 1.2.3 (minor): Alpha's report — due 2026-12-03 09:00 UTC", reply);
        Assert.DoesNotContain($"#{rolling} cream 1.2.3 (minor): a site to accept it", reply);
    }

    [Fact]
    public async Task Deadlines_ShowARestrictedTicketOnlyToThoseWhoMaySeeIt()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync();
        // Restricted after the fact: the repository manager in this cast may not see restricted tickets.
        await W.DbAsync(db => db.Tickets.Where(t => t.Id == n).ExecuteUpdateAsync(u => u.SetProperty(t => t.SecurityAdvisoryUrl, "https://svg.example.org/advisory/2011-01")));

        Assert.Contains($"#{n} (restricted): a site to accept it", await _t.SayAsync("/deadlines", TicketWorld.Coordinator));
        Assert.Contains($"#{n} (restricted)", await _t.SayAsync("/deadlines", TicketWorld.Alice)); // Alpha is committed to cream
        var bob = await _t.SayAsync("/deadlines", TicketWorld.Bob);
        Assert.DoesNotContain($"#{n}", bob);
        Assert.Contains("Nothing is overdue.", bob);
    }
}
