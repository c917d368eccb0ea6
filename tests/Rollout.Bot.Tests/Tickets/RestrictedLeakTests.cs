using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Issue 12, items 6–8: a restricted release reaches only the entitled, by acceptance, catalogue or metrics.</summary>
public abstract class RestrictedLeakTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Advisory = "security=https://svg.example.org/advisory/2026-12";
    private const string Carol = "u-carol";
    private TicketWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await TicketWorld.StartAsync(postgres, new() { ["Metrics:CacheSeconds"] = "0" });
        await _w.CastAsync();
    }

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AdminOfACommittedAndAnUncommittedSite_CannotAcceptARestrictedReleaseForTheUncommittedOne()
    {
        // Alice administers Alpha (committed to cream) and Gamma (not committed), which Carol administers too.
        var gamma = await _w.SiteAsync("Gamma", TicketWorld.Alice);
        await _w.DbAsync(async db =>
        {
            db.SiteAdmins.Add(new SiteAdmin { SiteId = gamma, UserId = Carol, Name = "Carol", AddedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var n = await _w.VerifiedAsync(Advisory);

        var refused = await _w.SayAsync($"/accept #{n} site=Gamma", TicketWorld.Alice);

        Assert.Contains("'Gamma' is not one of Alpha here", refused);
        Assert.Empty(await _w.DbAsync(db => db.Participations.Where(p => p.TicketId == n).ToListAsync()));
        Assert.Contains("Alpha accepted", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Contains("recorded", await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", TicketWorld.Alice));
        Assert.Contains("There is no ticket", await _w.SayAsync($"/ticket #{n}", Carol));
        Assert.DoesNotContain(await _w.NoticesAsync(n), t => t.Recipient == $"user:{Carol}");
    }

    [Fact]
    public async Task RestrictedReleaseOfANewComponent_DoesNotPublishItsNameBeforeDisclosure()
    {
        var opened = await _w.SayAsync($"/release new component=secretcomp new-component=yes version=9.9.9 stack=glite type=emergency {Advisory}",
            TicketWorld.Provider);
        Assert.Contains("joins the catalogue when the release is disclosed", opened);
        var n = long.Parse(opened.Split('#')[1].Split(':')[0], CultureInfo.InvariantCulture);

        foreach (var command in new[] { "/components", "/vacancies" })
            Assert.DoesNotContain("secretcomp", await _w.SayAsync(command, TicketWorld.Bob));
        Assert.DoesNotContain("secretcomp", await _w.App.CreateClient().GetStringAsync("/status"));
        Assert.False(await _w.DbAsync(db => db.Components.AnyAsync(c => c.Name == "secretcomp")));

        Assert.Contains("now unverified", await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository));
        Assert.Contains("is verified", await _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TicketWorld.TechUnit));
        Assert.Contains("closed without staged rollout", await _w.SayAsync($"/emergency #{n} skip reason=\"exploited\"", TicketWorld.Coordinator));
        Assert.Contains("is disclosed", await _w.SayAsync($"/disclose #{n}", TicketWorld.Coordinator));

        Assert.Contains("secretcomp", await _w.SayAsync("/components", TicketWorld.Bob));
    }

    [Fact]
    public async Task SiteWhoseOnlyParticipationIsRestricted_ShowsNoCountOrLatencyPublicly()
    {
        var n = await _w.VerifiedAsync(Advisory);
        Assert.Contains("Alpha accepted", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));

        using var metrics = JsonDocument.Parse(await _w.App.CreateClient().GetStringAsync(MetricsUrl()));

        var alpha = metrics.RootElement.GetProperty("sites").EnumerateArray().Single(s => s.GetProperty("site").GetString() == "Alpha");
        Assert.Equal(0, alpha.GetProperty("tickets").GetInt32());
        Assert.Equal(JsonValueKind.Null, alpha.GetProperty("medianAcceptanceHours").ValueKind);
        Assert.Equal(0, metrics.RootElement.GetProperty("sitesActive").GetInt32());
        Assert.Equal(1, metrics.RootElement.GetProperty("restrictedReleases").GetInt32());
        Assert.Contains("Alpha", await _w.SayAsync("/metrics", TicketWorld.Coordinator));
    }

    private static string MetricsUrl()
    {
        var today = DateTime.UtcNow.Date;
        string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"/api/metrics?from={Day(today.AddDays(-1))}&to={Day(today.AddDays(1))}";
    }
}

public sealed class RestrictedLeakTestsOnSqlite() : RestrictedLeakTests(null);

[Collection(PostgresCollection.Name)]
public sealed class RestrictedLeakTestsOnPostgres(PostgresServer postgres) : RestrictedLeakTests(postgres);
