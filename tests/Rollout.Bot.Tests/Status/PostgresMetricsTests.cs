using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Metrics;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Status;

/// <summary>The metrics SQL is hand-written ADO.NET; the same seeded history must give the same answers on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMetricsTests(PostgresServer postgres)
{
    private async Task<SeededHistory> StartAsync() => await SeededHistory.StartAsync(new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync(),
    });

    [Fact]
    public async Task Metrics_OnPostgres_MatchTheHandComputedAnswers()
    {
        using var world = await StartAsync();
        var february = new MetricsPeriod(SeededHistory.At("2026-02-01 00:00"), SeededHistory.At("2026-03-01 00:00"), null);
        var r = await world.App.Services.GetRequiredService<MetricsService>().BuildAsync(february, MetricsService.Public);

        Assert.Equal((2, 2, 6, 1), (r.SitesCommitted, r.SitesActive, r.Releases, r.RestrictedReleases));
        var alpha = r.Sites.Single(s => s.Site == "Alpha");
        Assert.Equal((3, 5.5, 32.5, 2.0), (alpha.Tickets, alpha.HoursReported, alpha.MedianHoursToReport!.Value, alpha.MedianAcceptanceHours!.Value));
        var minor2 = r.Steps.Single(s => s.ReleaseType == "minor" && s.Step == 2);
        Assert.Equal((3, 2, 24.0), (minor2.Completed, minor2.MetTarget, minor2.MedianHours!.Value));
        Assert.Equal(new ComponentMetrics(MetricsReport.RestrictedLabel, 1, 0, 0), r.Components.Single(c => c.Component == MetricsReport.RestrictedLabel));
    }

    [Fact]
    public async Task StatusFeedAndCalendar_OnPostgres_Answer()
    {
        using var world = await StartAsync();
        var client = world.App.CreateClient();
        Assert.Contains("argus 4.0", await client.GetStringAsync("/status"));
        Assert.Contains("release/2", await client.GetStringAsync("/feed.atom"));
        Assert.Contains("DTSTART:20260309T120000Z", await client.GetStringAsync("/calendar.ics"));
    }
}
