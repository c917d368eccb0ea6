using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rollout.Bot.Tests.Status;

/// <summary>The public read-only endpoints over HTTP: metrics export, status page, bulletin archive, charts.</summary>
public sealed partial class StatusEndpointTests
{
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+")]
    private static partial Regex Email();

    [Fact]
    public async Task ApiMetrics_Json_HasTheNumbersAndNoRestrictedName()
    {
        using var world = await SeededHistory.StartAsync();
        var response = await world.App.CreateClient().GetAsync("/api/metrics?from=2026-02-01&to=2026-02-28");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal(6, json.RootElement.GetProperty("releases").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("restrictedReleases").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("components").EnumerateArray(), c => c.GetProperty("component").GetString() == "(restricted)");
        Assert.DoesNotContain("dpm", body);
    }

    [Theory]
    [InlineData("/api/metrics?from=2026-02-01&to=2026-02-28&format=csv", null)]
    [InlineData("/api/metrics?from=2026-02-01&to=2026-02-28", "text/csv")]
    public async Task ApiMetrics_Csv_ByQueryOrAcceptHeader(string url, string? accept)
    {
        using var world = await SeededHistory.StartAsync();
        var client = world.App.CreateClient();
        if (accept is not null) client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("section,name,metric,value", lines[0]);
        Assert.Contains("totals,,releases,6", lines);
        Assert.Contains("component,cream,releases,2", lines);
        Assert.Contains("component,(restricted),releases,1", lines);
        Assert.Contains("site,Alpha,hours_reported,5.5", lines);
        Assert.Contains("step,minor step 2,share_met,0.667", lines);
        Assert.DoesNotContain(lines, l => l.Contains("dpm", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/metrics?from=2026-02-31", "'from=2026-02-31' is not a date")]
    [InlineData("/api/metrics?format=xml", "format=xml is not known")]
    public async Task ApiMetrics_BadQuery_Is400WithTheReason(string url, string expected)
    {
        using var world = await SeededHistory.StartAsync();
        var response = await world.App.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StatusPage_ShowsProgressProductionAndPlots_WithoutRestrictedOrEmail()
    {
        using var world = await SeededHistory.StartAsync();
        await world.BulletinAsync("Ops: ask alice@alpha.example.org.");
        var response = await world.App.CreateClient().GetAsync("/status");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        FeedTests.Keep("status.html", html);

        Assert.Contains("argus 4.0", html);                  // #5 verified, in progress
        Assert.Contains("apel 5.0", html);                   // #6 rolling out at Alpha
        Assert.Contains("<td>Alpha</td>", html);
        Assert.Contains("cream 2.0</a>", html);              // released with a warning, linked to its notes
        Assert.Contains("acceptance overdue since 2026-02-27 09:00 UTC", html); // #5 verified Thu 09:00, one working day
        Assert.Equal(3, Regex.Matches(html, "<svg ").Count);
        Assert.Contains("/status/bulletins/1", html);
        Assert.DoesNotContain("9.9.9-sec", html);
        Assert.DoesNotContain("#3", html);
        Assert.Empty(Email().Matches(html));
    }

    [Fact]
    public async Task BulletinPage_HidesEmailsAndRestrictedNumbers()
    {
        using var world = await SeededHistory.StartAsync();
        await world.BulletinAsync("Ask alice@alpha.example.org about #3 and #1.");
        var html = await world.App.CreateClient().GetStringAsync("/status/bulletins/1");
        Assert.Contains("(e-mail hidden)", html);
        Assert.Contains("#(restricted) and #1.", html);
        Assert.Empty(Email().Matches(html));
        Assert.Equal(HttpStatusCode.NotFound, (await world.App.CreateClient().GetAsync("/status/bulletins/99")).StatusCode);
    }

    [Theory]
    [InlineData("releases")]
    [InlineData("steps")]
    [InlineData("latency")]
    public async Task Charts_AreServedAsSvg(string name)
    {
        using var world = await SeededHistory.StartAsync();
        var response = await world.App.CreateClient().GetAsync($"/status/charts/{name}.svg");
        response.EnsureSuccessStatusCode();
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "rect");
    }

    [Theory]
    [InlineData("/status")]
    [InlineData("/feed.atom")]
    [InlineData("/calendar.ics")]
    [InlineData("/status/charts/releases.svg")]
    public async Task StatusDisabled_Is404(string url)
    {
        using var world = await SeededHistory.StartAsync(new() { ["Status:Enabled"] = "false" });
        Assert.Equal(HttpStatusCode.NotFound, (await world.App.CreateClient().GetAsync(url)).StatusCode);
    }
}
