using System.Net;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>The bot's own token: fetched once, renewed 5 minutes early, and only ever sent to trusted serviceUrls.</summary>
public sealed class ConnectorTokenTests
{
    private static Task SendAsync(ConnectorHarness h, string serviceUrl = ConnectorHarness.TeamsServiceUrl) =>
        h.Connector.SendToConversationAsync(serviceUrl, ConnectorHarness.Message(serviceUrl));

    [Fact]
    public async Task Token_IsFetchedOnceWithClientCredentials_AndReusedAcrossCalls()
    {
        await using var h = await ConnectorHarness.StartAsync();
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);

        await SendAsync(h);
        await SendAsync(h);
        await SendAsync(h);

        var tokenRequest = Assert.Single(h.TokenEndpoint.Requests);
        Assert.Equal("https://login.test/botframework.com/oauth2/v2.0/token", tokenRequest.Uri.ToString());
        var form = System.Web.HttpUtility.ParseQueryString(tokenRequest.Body);
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal(ConnectorHarness.AppId, form["client_id"]);
        Assert.Equal("s3cret&=", form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", form["scope"]);
        Assert.All(h.Channel.Requests, r => Assert.Equal("Bearer token-1", r.Authorization));
    }

    [Fact]
    public async Task Token_WithinFiveMinutesOfExpiry_IsRenewed()
    {
        await using var h = await ConnectorHarness.StartAsync();
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);
        await SendAsync(h);

        h.Clock.Advance(TimeSpan.FromMinutes(54)); // 6 minutes left of the hour: still good
        await SendAsync(h);
        h.Clock.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: renew
        await SendAsync(h);

        Assert.Equal(2, h.TokenEndpoint.Requests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], h.Channel.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Token_ForManyConcurrentCalls_IsFetchedOnlyOnce()
    {
        await using var h = await ConnectorHarness.StartAsync();
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SendAsync(h))));

        Assert.Single(h.TokenEndpoint.Requests);
        Assert.Equal(8, h.Channel.Requests.Count(r => r.Authorization == "Bearer token-1"));
    }

    [Fact]
    public async Task Token_ForSingleTenantBot_ComesFromTheBotsTenant()
    {
        await using var h = await ConnectorHarness.StartAsync(settings: new()
        {
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppTenantId"] = "contoso-tenant",
        });
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);

        await SendAsync(h);

        Assert.Equal("https://login.test/contoso-tenant/oauth2/v2.0/token", Assert.Single(h.TokenEndpoint.Requests).Uri.ToString());
    }

    [Fact]
    public async Task Token_IsNotSentToAServiceUrlNoAuthenticatedActivityCameFrom()
    {
        await using var h = await ConnectorHarness.StartAsync();
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);

        await SendAsync(h, "https://attacker.test/");

        Assert.Null(Assert.Single(h.Channel.Requests).Authorization);
        Assert.Empty(h.TokenEndpoint.Requests);
    }

    [Fact]
    public async Task Token_IsNotSentInLocalMode()
    {
        await using var h = await ConnectorHarness.StartAsync(appId: null);
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);

        await SendAsync(h);

        Assert.Null(Assert.Single(h.Channel.Requests).Authorization);
        Assert.Empty(h.TokenEndpoint.Requests);
    }

    [Fact]
    public async Task Token_WhenTheTokenEndpointRefuses_FailsWithItsReasonAndSendsNothing()
    {
        await using var h = await ConnectorHarness.StartAsync();
        await h.TrustAsync(ConnectorHarness.TeamsServiceUrl);
        h.TokenEndpoint.Then(HttpStatusCode.Unauthorized,
            """{"error":"unauthorized_client","error_description":"AADSTS700016: Application not found in the directory"}""");

        var ex = await Assert.ThrowsAsync<ConnectorException>(() => SendAsync(h));

        Assert.Equal("unauthorized_client", ex.Code);
        Assert.Contains("AADSTS700016", ex.Message);
        Assert.Empty(h.Channel.Requests);
    }
}
