using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Storage;
using Rollout.Bot.Notices;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Notices;

namespace Rollout.Bot.Tests.Operations;

public sealed class HealthTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static string Check(JsonElement body, string name, string field = "status") =>
        body.GetProperty("checks").GetProperty(name).GetProperty(field).GetString()!;

    [Fact]
    public async Task Healthz_SaysAliveWithoutCheckingTheDatabase()
    {
        using var app = new BotApp();
        var (status, body) = await GetAsync(app.CreateClient(), "/healthz");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task Readyz_OnAFreshBot_ReportsEachPartReady()
    {
        using var app = new BotApp();
        var (status, body) = await GetAsync(app.CreateClient(), "/readyz");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Contains("schema up to date", Check(body, "database", "description"));
        Assert.Contains("switched off", Check(body, "scheduler", "description"));
        Assert.Equal(0, body.GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("parked").GetInt64());
    }

    [Fact]
    public async Task Readyz_WhenAMigrationIsMissing_IsUnavailableAndNamesIt()
    {
        using var app = new BotApp();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync())
            await db.Database.ExecuteSqlRawAsync("DELETE FROM schema_migrations WHERE id = '0004_tickets'");
        var (status, body) = await GetAsync(app.CreateClient(), "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", Check(body, "database"));
        Assert.Contains("0004_tickets", Check(body, "database", "description"));
    }

    [Fact]
    public async Task Readyz_WithRunningScheduler_SaysSo()
    {
        using var app = new BotApp(new() { ["Scheduling:Enabled"] = "true" });
        var client = app.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement body;
        // Quartz starts in the background once the host has started.
        do { (_, body) = await GetAsync(client, "/readyz"); }
        while (Check(body, "scheduler") != "Healthy" && DateTime.UtcNow < deadline && await Delay());
        Assert.Equal("Healthy", Check(body, "scheduler"));
        Assert.Contains("running", Check(body, "scheduler", "description"));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }

    [Fact]
    public async Task Readyz_WithAParkedNotice_IsDegradedButStillReady()
    {
        using var app = new NoticesApp();
        await app.AddAsync(("ops:1", NoticeRecipient.User("u-nobody"), "hello")); // never wrote to the bot: parked
        await app.UntilAsync(async () => (await app.NoticeAsync("ops:1")).State == NoticeState.Parked, "the notice is parked");
        var (status, body) = await GetAsync(app.Factory.CreateClient(), "/readyz");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", Check(body, "outbox"));
        Assert.Equal(1, body.GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("parked").GetInt64());
    }

    [Fact]
    public async Task Readyz_WhenNoDispatcherTakesADueNotice_CallsTheOutboxStuck()
    {
        var clock = new ManualClock();
        using var app = new NoticesApp(clock: clock);
        await app.SayAsync("help", "u-bob", "conv-bob");
        app.Connector.Hang = true; // the dispatcher takes the notice and never comes back
        await app.AddAsync(("ops:2", NoticeRecipient.User("u-bob"), "hello"));
        await app.Connector.WaitUntilAsync(() => app.Connector.Hanging > 0);
        var client = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/readyz")).Status);

        clock.Advance(TimeSpan.FromMinutes(10)); // past the claim lease and the five minutes allowed
        var (status, body) = await GetAsync(client, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", Check(body, "outbox"));
        Assert.Contains("no dispatcher took it", Check(body, "outbox", "description"));
    }
}
