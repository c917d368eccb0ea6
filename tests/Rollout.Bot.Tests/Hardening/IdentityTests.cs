using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Protocol;

namespace Rollout.Bot.Tests.Hardening;

/// <summary>Nobody becomes someone else on the local channel (issue 12 items 1, 2, 5), through the real routes.</summary>
public sealed class LocalChannelIdentityTests
{
    private static Dictionary<string, string?> Registered() => new()
    {
        ["MicrosoftAppId"] = "bot-app-id", ["MicrosoftAppPassword"] = "secret",
        ["DirectLine:Enabled"] = "true", ["DirectLine:ServiceUrl"] = "http://bot.example",
    };

    [Fact]
    public async Task WithAnAppId_TokensForAChosenUserOrRoom_AreRefused_AndAnonymousOnesAreNot()
    {
        using var app = new DirectLineApp(settings: Registered());
        var http = app.CreateClient();

        var asCoordinator = await http.PostAsJsonAsync("/v3/directline/tokens/generate", new { user = new { id = "coord" } });
        var intoARoom = await http.PostAsJsonAsync("/v3/directline/tokens/generate", new { room = "operations" });
        var anonymous = await http.PostAsync("/v3/directline/tokens/generate", null);

        Assert.Equal(HttpStatusCode.Forbidden, asCoordinator.StatusCode);
        Assert.Contains("cannot choose who it is", await asCoordinator.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, intoARoom.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task WithoutAnAppId_ALocalUserStillPicksTheirId()
    {
        using var app = new DirectLineApp();

        var response = await app.CreateClient().PostAsJsonAsync("/v3/directline/tokens/generate", new { user = new { id = "coordinator" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/v3/conversations/personal%3Aalice/activities")]
    [InlineData("POST", "/v3/conversations/personal%3Aalice/activities/x")]
    [InlineData("PUT", "/v3/conversations/personal%3Aalice/activities/x")]
    [InlineData("DELETE", "/v3/conversations/personal%3Aalice/activities/x")]
    [InlineData("GET", "/v3/conversations/personal%3Aalice/members")]
    [InlineData("POST", "/v3/conversations")]
    public async Task TheConnectorRoutes_RefuseAnyoneButTheBot_EvenWithAClientToken(string method, string path)
    {
        using var app = new DirectLineApp();
        var alice = await app.Client().JoinAsync("alice");
        foreach (var token in new[] { null, alice.Token })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT") request.Content = JsonContent.Create(new { type = "message", text = "[Approve](https://evil.example)" });
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var response = await app.CreateClient().SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        var (seen, _) = await alice.ActivitiesAsync();
        Assert.DoesNotContain(seen, a => a.Text?.Contains("evil.example") == true);
    }

    [Fact]
    public async Task TheBotsOwnReplies_StillReachTheLocalChannel()
    {
        using var app = new DirectLineApp();
        var alice = await app.Client().JoinAsync("alice");

        await alice.SayAsync("/whoami");

        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            var (activities, _) = await alice.ActivitiesAsync();
            if (activities.Any(a => a.From?.Id == "rollout-bot" && a.ReplyToId is not null)) return;
        }
        Assert.Fail("The bot's answer to /whoami never arrived.");
    }

    [Fact]
    public async Task TheHostHeader_NeverBecomesTheStoredServiceUrl()
    {
        using var app = new DirectLineApp();
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Host = "evil.example";
        var generated = await http.PostAsJsonAsync("/v3/directline/tokens/generate", new { user = new { id = "alice" }, room = "ops" });
        var token = (await generated.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.PostAsJsonAsync("/v3/directline/conversations", new { })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/v3/directline/conversations/room%3Aops/activities", new { type = "message", text = "/help" })).EnsureSuccessStatusCode();

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var stored = await db.Conversations.AsNoTracking().SingleAsync(c => c.ConversationId == "room:ops");
        Assert.DoesNotContain("evil.example", stored.ServiceUrl);
    }
}

/// <summary>Which tokens /api/messages takes with auth on (issue 12 items 3 and 4).</summary>
public sealed class TokenTrustTests : IDisposable
{
    private const string AppId = "bot-app-id";
    private readonly TestIdentity _identity = new("test");

    public void Dispose() => _identity.Dispose();

    private WebApplicationFactory<Program> Bot(BotApp app) => app.WithWebHostBuilder(web => web.ConfigureServices(services =>
        services.AddHttpClient(OpenIdMetadata.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _identity.Handler)));

    private static async Task<HttpStatusCode> PostAsync(WebApplicationFactory<Program> bot, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = JsonContent.Create(BotApp.Message("/whoami", userId: "u-coord"), options: ProtocolJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await bot.CreateClient().SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task EmulatorTokens_AreRefusedUnlessConfigured()
    {
        var settings = _identity.Settings(AppId);
        settings.Remove("BotAuth:AcceptEmulatorTokens");
        using var app = new BotApp(settings);

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(Bot(app), _identity.EmulatorToken(AppId, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task TheBotsOwnConnectorToken_IsRefused_EvenWithEmulatorTokensOn()
    {
        using var app = new BotApp(_identity.Settings(AppId));
        var bot = Bot(app);

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(bot, _identity.ConnectorScopedToken(AppId, DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(bot, _identity.EmulatorToken(AppId, DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task AServiceUrlStoredWithoutAuth_IsNotTrustedOnceAuthIsOn()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        using var open = new BotApp(dataFolder: folder); // disposed last: it deletes the shared folder
        var forged = BotApp.Message("/help");
        forged.ServiceUrl = "https://collector.evil.example/";
        (await open.PostAsync(forged)).EnsureSuccessStatusCode();
        await open.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHost>().StopAsync();

        using var registered = new BotApp(_identity.Settings(AppId), dataFolder: folder);
        var store = registered.Services.GetRequiredService<ConversationStore>();

        await using var db = await registered.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Conversations.CountAsync(c => c.ServiceUrl == "https://collector.evil.example/"));
        Assert.False(await store.IsTrustedServiceUrlAsync("https://collector.evil.example/", CancellationToken.None));
    }
}
