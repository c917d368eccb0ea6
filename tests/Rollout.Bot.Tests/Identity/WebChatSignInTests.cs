using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Identity;

/// <summary>
/// Sign-in on the local channel against a real OpenID provider (OpenIddict on a loopback port), through the bot's own
/// routes: the page, the provider's redirects, the callback, /webchat/me, the Direct Line token, a conversation, /whoami.
/// The bot runs as in production: with a MicrosoftAppId and its public URL configured.
/// </summary>
public sealed class WebChatSignInTests : IAsyncLifetime
{
    private const string BotHost = "bot.test";
    private const string Bot = "https://" + BotHost;
    private TestOpenIdProvider _provider = null!;
    private readonly List<IDisposable> _owned = [];

    public async Task InitializeAsync() => _provider = await TestOpenIdProvider.StartAsync(Bot + "/webchat/signin-oidc");

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) owned.Dispose();
        await _provider.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["MicrosoftAppId"] = "bot-app-id", ["MicrosoftAppPassword"] = "secret",
        ["DirectLine:Enabled"] = "true", ["DirectLine:ServiceUrl"] = Bot,
        ["WebChat:Oidc:Authority"] = _provider.Authority,
        ["WebChat:Oidc:ClientId"] = TestOpenIdProvider.ClientId, ["WebChat:Oidc:ClientSecret"] = TestOpenIdProvider.ClientSecret,
        ["WebChat:Oidc:Scopes:0"] = "groups",
        ["WebChat:Oidc:RolesClaim"] = "groups",
        ["WebChat:Oidc:CoordinatorGroup"] = "urn:egi:rollout:coordinators", ["WebChat:Oidc:SecurityGroup"] = "urn:egi:csirt",
    };

    private (DirectLineApp App, Browser Browser) Start()
    {
        var app = new DirectLineApp(settings: Settings());
        var browser = new Browser(app.Server.CreateHandler(), BotHost);
        _owned.Add(browser);
        _owned.Add(app);
        return (app, browser);
    }

    private Browser AnotherBrowser(DirectLineApp app)
    {
        var browser = new Browser(app.Server.CreateHandler(), BotHost);
        _owned.Add(browser);
        return browser;
    }

    /// <summary>Signs the person in at the provider, then opens the chat page, which sends the browser through the sign-in.</summary>
    private async Task<HttpResponseMessage> SignInAsync(Browser browser, string sub, string name, string[] groups, bool groupsOnlyFromUserInfo = false)
    {
        (await browser.GetAsync(_provider.LoginUrl(sub, name, groups, groupsOnlyFromUserInfo))).EnsureSuccessStatusCode();
        return await browser.GetAsync(Bot + "/");
    }

    private static async Task<(string Token, string ConversationId)> TokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("token").GetString()!, body.GetProperty("conversationId").GetString()!);
    }

    /// <summary>Starts the token's conversation, says /whoami and returns the bot's answer, read off the stream.</summary>
    private static async Task<string> WhoAmIAsync(DirectLineApp app, Browser browser, string token, string conversationId)
    {
        Assert.Equal(HttpStatusCode.Created, (await browser.PostJsonAsync(Bot + "/v3/directline/conversations", new { }, token)).StatusCode);
        var socket = await app.Server.CreateWebSocketClient().ConnectAsync(
            new Uri($"ws://{BotHost}/v3/directline/conversations/{Uri.EscapeDataString(conversationId)}/stream?t={Uri.EscapeDataString(token)}"), CancellationToken.None);
        await using var stream = new DirectLineStreamReader(socket);
        var sent = await browser.PostJsonAsync($"{Bot}/v3/directline/conversations/{Uri.EscapeDataString(conversationId)}/activities",
            new { type = "message", text = "/whoami", from = new { id = "coord" } }, token);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var answer = await stream.WaitForAsync(a => a.From?.Id == "rollout-bot" && a.Text?.Contains("chat user id") == true);
        return answer.Text!;
    }

    [Fact]
    public async Task SigningIn_ThroughThePage_GivesATokenForTheSignedInPerson_WhoIsACoordinatorByTheirGroup()
    {
        var (app, browser) = Start();

        var page = await SignInAsync(browser, "alice-7f3e", "Alice Adams", ["urn:egi:rollout:coordinators", "urn:egi:other"]);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Rollout.Bot", await page.Content.ReadAsStringAsync());
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/connect/authorize");
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/webchat/signin-oidc");
        var me = await (await browser.GetAsync(Bot + "/webchat/me")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("oidc:127.0.0.1:alice-7f3e", me.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("Alice Adams", me.GetProperty("user").GetProperty("name").GetString());
        Assert.False(me.GetProperty("rooms").GetBoolean());

        var (token, conversationId) = await TokenAsync(await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null));
        Assert.Equal("personal:oidc:127.0.0.1:alice-7f3e", conversationId);
        var answer = await WhoAmIAsync(app, browser, token, conversationId);

        Assert.Contains("**Alice Adams**", answer);
        Assert.Contains("`oidc:127.0.0.1:alice-7f3e`", answer);
        Assert.Contains("roles: coordinator", answer);
        Assert.DoesNotContain("security", answer);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheSecurityRole_ComesFromTheGroupsClaim_InTheIdTokenOrFromUserInfo(bool groupsOnlyFromUserInfo)
    {
        var (app, browser) = Start();
        await SignInAsync(browser, "sam-1", "Sam Secure", ["urn:egi:csirt"], groupsOnlyFromUserInfo);

        var (token, conversationId) = await TokenAsync(await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null));
        var answer = await WhoAmIAsync(app, browser, token, conversationId);

        Assert.Contains("roles: security", answer);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var stored = await db.SignInRoles.AsNoTracking().SingleAsync();
        Assert.Equal(("oidc:127.0.0.1:sam-1", Role.Security, "urn:egi:csirt"), (stored.UserId, stored.Role, stored.FromGroup));
    }

    [Fact]
    public async Task EachSignIn_ReplacesTheRolesOfTheLast()
    {
        var (app, browser) = Start();
        await SignInAsync(browser, "bob-2", "Bob", ["urn:egi:rollout:coordinators", "urn:egi:csirt"]);
        var later = AnotherBrowser(app);

        await SignInAsync(later, "bob-2", "Bob", ["urn:egi:csirt"]);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        Assert.Equal([Role.Security], await db.SignInRoles.AsNoTracking().Where(r => r.UserId == "oidc:127.0.0.1:bob-2").Select(r => r.Role).ToListAsync());
        var (token, conversationId) = await TokenAsync(await later.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null));
        Assert.Contains("roles: security", await WhoAmIAsync(app, later, token, conversationId));
    }

    [Fact]
    public async Task WithoutASignInCookie_OrWithATamperedOne_NoTokenIsIssued()
    {
        var (app, browser) = Start();
        var stranger = AnotherBrowser(app);
        await SignInAsync(browser, "carol-3", "Carol", []);
        var cookie = browser.Cookies.GetCookies(new Uri(Bot)).Single(c => c.Name == ".rollout.signin");

        var none = await stranger.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null);
        stranger.Cookies.Add(new Uri(Bot), new Cookie(cookie.Name, cookie.Value[..^6] + (cookie.Value.EndsWith("AAAAAA") ? "BBBBBB" : "AAAAAA"), "/"));
        var tampered = await stranger.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Sign in first", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        var me = await (await stranger.GetAsync(Bot + "/webchat/me")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, me.GetProperty("user").ValueKind);
    }

    [Fact]
    public async Task ASignedInPerson_CannotChooseAnotherIdOrARoom()
    {
        var (_, browser) = Start();
        await SignInAsync(browser, "dave-4", "Dave", []);

        var asCoordinator = await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", new { user = new { id = "coord" } });
        var intoARoom = await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", new { room = "security" });
        var asThemselves = await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", new { user = new { id = "oidc:127.0.0.1:dave-4", name = "Admin" } });

        Assert.Equal(HttpStatusCode.Forbidden, asCoordinator.StatusCode);
        Assert.Contains("signed in as 'oidc:127.0.0.1:dave-4'", await asCoordinator.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, intoARoom.StatusCode);
        var (token, _) = await TokenAsync(asThemselves);
        Assert.Contains("\"name\":\"Dave\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[1]))));
    }

    [Fact]
    public async Task SigningOut_EndsTheTokenAtItsNextRefresh()
    {
        var (_, browser) = Start();
        await SignInAsync(browser, "erin-5", "Erin", []);
        var (token, _) = await TokenAsync(await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null));
        Assert.Equal(HttpStatusCode.OK, (await browser.PostJsonAsync(Bot + "/v3/directline/tokens/refresh", null, token)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.PostJsonAsync(Bot + "/webchat/signout", null)).StatusCode);
        var refresh = await browser.PostJsonAsync(Bot + "/v3/directline/tokens/refresh", null, token);

        Assert.Equal(HttpStatusCode.Forbidden, refresh.StatusCode);
        Assert.Contains("sign in again", await refresh.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null)).StatusCode);
    }

    [Fact]
    public async Task ASignInTheProviderRefuses_EndsOnAPageThatSaysSo_NotA500()
    {
        var (_, browser) = Start();

        var page = await browser.GetAsync(Bot + "/");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        var text = await page.Content.ReadAsStringAsync();
        Assert.Contains("Sign-in did not complete", text);
        Assert.Contains("login_required", text);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostJsonAsync(Bot + "/v3/directline/tokens/generate", null)).StatusCode);
    }

    private static string Pad(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }
}
