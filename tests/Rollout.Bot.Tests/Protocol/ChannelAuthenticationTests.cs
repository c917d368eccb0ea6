using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>Bearer tokens through the real POST /api/messages, checked against local keys on a manual clock.</summary>
public sealed class ChannelAuthenticationTests : IDisposable
{
    private const string AppId = "bot-app-id";
    private readonly ManualTimeProvider _clock = new();
    private readonly TestIdentity _identity = new("test", "msteams");
    private readonly BotApp _app;
    private readonly WebApplicationFactory<Program> _bot;

    public ChannelAuthenticationTests()
    {
        _app = new BotApp(_identity.Settings(AppId));
        _bot = _app.WithWebHostBuilder(web => web.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddHttpClient(OpenIdMetadata.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _identity.Handler);
        }));
    }

    public void Dispose()
    {
        _app.Dispose();
        _identity.Dispose();
    }

    private string ValidToken() => _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow());

    private async Task<HttpResponseMessage> PostAsync(Activity activity, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = JsonContent.Create(activity, options: ProtocolJson.Options),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _bot.CreateClient().SendAsync(request);
    }

    /// <summary>
    /// The activity is refused for the expected reason, answered 401 and never reaches the bot: a valid turn
    /// afterwards is the only thing the channel sees.
    /// </summary>
    private async Task AssertRejectedAsync(Activity activity, string? token, string reason)
    {
        var authenticator = _bot.Services.GetRequiredService<ChannelAuthenticator>();
        var result = await authenticator.AuthenticateAsync(token is null ? null : "Bearer " + token, activity, CancellationToken.None);
        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Failure);

        var response = await PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_app.Connector.Calls);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), ValidToken())).StatusCode);
        var calls = await _app.Connector.WaitForCallsAsync(1);
        Assert.Single(calls);
    }

    [Fact]
    public async Task ValidChannelToken_IsAccepted_AndTheTurnRuns()
    {
        var response = await PostAsync(BotApp.Message("/help"), ValidToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await _app.Connector.WaitForCallsAsync(1))[0].Activity;
        Assert.Contains("`/help`", reply.Text);
    }

    [Fact]
    public async Task TokenExpiredWithinTheFiveMinuteSkew_IsAccepted()
    {
        var token = _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(4));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), token)).StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_IsRejected()
    {
        var token = _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(6));

        await AssertRejectedAsync(BotApp.Message("/help"), token, "expired");
    }

    [Fact]
    public async Task TokenForAnotherBot_IsRejected() =>
        await AssertRejectedAsync(BotApp.Message("/help"),
            _identity.ChannelToken("another-bot", BotApp.ServiceUrl, _clock.GetUtcNow()), "IDX10214"); // audience validation failed

    [Fact]
    public async Task TokenFromAnUnknownIssuer_IsRejected() =>
        await AssertRejectedAsync(BotApp.Message("/help"),
            _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow(), issuer: "https://evil.test"), "not a Bot Framework issuer");

    [Fact]
    public async Task TokenSignedWithAnotherKey_IsRejected()
    {
        using var forger = RSA.Create(2048);

        await AssertRejectedAsync(BotApp.Message("/help"),
            _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow(), signWith: forger), "IDX10511"); // signature validation failed
    }

    [Fact]
    public async Task ChannelTheKeyIsNotEndorsedFor_IsRejected()
    {
        var activity = BotApp.Message("/help");
        activity.ChannelId = "webchat";

        await AssertRejectedAsync(activity, ValidToken(), "not endorsed for channel 'webchat'");
    }

    [Fact]
    public async Task ServiceUrlOtherThanTheTokens_IsRejected()
    {
        var activity = BotApp.Message("/help");
        activity.ServiceUrl = "https://attacker.test/";

        await AssertRejectedAsync(activity, ValidToken(), "differs from the activity's");
    }

    [Fact]
    public async Task ServiceUrlClaim_IsComparedIgnoringCase()
    {
        var token = _identity.ChannelToken(AppId, BotApp.ServiceUrl.ToUpperInvariant(), _clock.GetUtcNow());

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), token)).StatusCode);
    }

    [Fact]
    public async Task MissingAuthorizationHeader_IsRejected() =>
        await AssertRejectedAsync(BotApp.Message("/help"), token: null, "Authorization header");

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")] // three parts, but the payload is not JSON
    public async Task GarbageBearerToken_IsRejected(string garbage) =>
        await AssertRejectedAsync(BotApp.Message("/help"), garbage, "not a JWT");

    [Fact]
    public async Task EmulatorToken_ForThisBot_IsAccepted() =>
        Assert.Equal(HttpStatusCode.OK,
            (await PostAsync(BotApp.Message("/help"), _identity.EmulatorToken(AppId, _clock.GetUtcNow()))).StatusCode);

    [Fact]
    public async Task EmulatorToken_ForAnotherApp_IsRejected() =>
        await AssertRejectedAsync(BotApp.Message("/help"), _identity.EmulatorToken("another-app", _clock.GetUtcNow()), "another app id");

    [Fact]
    public async Task RotatedSigningKey_IsFetchedAtOnce_AndTheFirstTokenSignedWithItIsAccepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), ValidToken())).StatusCode);
        using var rotated = RSA.Create(2048);
        _identity.PublishChannelKey(rotated, "rotated-key");

        var token = _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow(), signWith: rotated, kid: "rotated-key");

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), token)).StatusCode);
        Assert.Equal(2, _identity.KeyFetches);
    }

    [Fact]
    public async Task UnknownKeyIds_RefreshTheKeysAtMostEveryFiveMinutes()
    {
        using var forger = RSA.Create(2048);
        string Forged() => _identity.ChannelToken(AppId, BotApp.ServiceUrl, _clock.GetUtcNow(), signWith: forger, kid: "made-up");

        await AssertRejectedAsync(BotApp.Message("/help"), Forged(), "is not among the Channel keys");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(BotApp.Message("/help"), Forged())).StatusCode);
        var fetchesWithinFiveMinutes = _identity.KeyFetches;
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(BotApp.Message("/help"), Forged())).StatusCode);

        Assert.Equal(2, fetchesWithinFiveMinutes); // the first load, then one refresh for the unknown kid
        Assert.Equal(3, _identity.KeyFetches);
    }

    [Fact]
    public async Task Keys_AreReloadedAfterADay()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), ValidToken())).StatusCode);
        _clock.Advance(TimeSpan.FromHours(24));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(BotApp.Message("/help"), ValidToken())).StatusCode);

        Assert.Equal(2, _identity.KeyFetches);
    }
}
