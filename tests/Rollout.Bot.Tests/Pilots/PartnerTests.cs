using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>Seed 001 §4.1: sites register in advance as Silver, Gold or Platinum partners; coordinators pick pilot sites from those bins.</summary>
public abstract class PartnerTests(PostgresServer? postgres) : IAsyncLifetime
{
    private PilotWorld _w = null!;

    public async Task InitializeAsync() => _w = await PilotWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SiteAdmin_SetsChangesAndWithdrawsLevels_KeptAsHistory_AndShownInSitesAndPartners()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, null, "Asia/Tokyo", "cream");

        Assert.Contains("registered gold, platinum", await _w.SayAsync("/partner set site=Alpha levels=gold,platinum interest=\"CREAM and WMS pilots\"", PilotWorld.Alice));
        Assert.Contains("withdrawn platinum", await _w.SayAsync("/partner set site=alpha levels=gold", PilotWorld.Alice));

        var sites = await _w.SayAsync("/sites", PilotWorld.Bob);
        Assert.Contains("**Alpha** — glite, Asia/Tokyo", sites.Replace(", gold partner", ""));
        Assert.Contains("gold partner", sites);
        var partners = await _w.SayAsync("/partners", PilotWorld.Bob);
        Assert.Contains("**Alpha** (Asia/Tokyo); components: cream; pilots now: 0; interest: CREAM and WMS pilots", partners);
        Assert.Contains("**Platinum** — runs pilots of non-backward-compatible server updates (0)", partners);

        Assert.Contains("withdrew as gold partner (no staff this winter)", await _w.SayAsync("/partner withdraw site=Alpha reason=\"no staff this winter\"", PilotWorld.Alice));
        var rows = await _w.World.DbAsync(db => db.Partnerships.AsNoTracking().OrderBy(p => p.Id).ToListAsync());
        Assert.Equal([(PartnerLevel.Gold, false), (PartnerLevel.Platinum, false)], rows.Select(r => (r.Level, r.IsActive)));
        Assert.Contains("No pilot partner sites yet", await _w.SayAsync("/partners", PilotWorld.Bob));
    }

    [Fact]
    public async Task AnotherSitesAdmin_IsRefused_ACoordinatorMay()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, null);
        await _w.PartnerAsync("Beta", PilotWorld.Bob, null);

        var refused = await _w.SayAsync("/partner set site=Alpha levels=gold", PilotWorld.Bob);

        Assert.Contains("Only the admins of Alpha or coordinators can change Alpha's partner levels", refused);
        Assert.Contains("registered silver", await _w.SayAsync("/partner set site=Alpha levels=silver", PilotWorld.Coordinator));
        Assert.Equal(1, await _w.World.DbAsync(db => db.Partnerships.CountAsync()));
    }

    [Fact]
    public async Task BadLevels_AreNamed_AndNothingChanges()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, null);

        var reply = await _w.SayAsync("/partner set site=Alpha levels=gold,bronze", PilotWorld.Alice);

        Assert.Contains("`bronze` is not a partner level: silver, gold, platinum", reply);
        Assert.Contains("Nothing was changed", reply);
        Assert.Equal(0, await _w.World.DbAsync(db => db.Partnerships.CountAsync()));
    }

    [Fact]
    public async Task JoinRequest_AsksForALevel_AndApprovalRegistersIt()
    {
        await _w.World.DbAsync(db =>
        {
            db.Components.Add(new Component { Name = "cream", Stack = "glite", AddedBy = "test", AddedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        var asked = await _w.SayAsync("/join site=Gamma name=\"Carl\" email=carl@gamma.org component=cream level=gold", PilotWorld.Carl);
        Assert.Contains("and gold pilot partner is with the coordinators", asked);

        var approved = await _w.SayAsync("/approve req=1", PilotWorld.Coordinator);

        Assert.Contains("registered as gold pilot partner", approved);
        Assert.Contains("**Gamma**", await _w.SayAsync("/partners level=gold", PilotWorld.Carl));
    }
}

public sealed class PartnerTestsOnSqlite() : PartnerTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PartnerTestsOnPostgres(PostgresServer postgres) : PartnerTests(postgres);
