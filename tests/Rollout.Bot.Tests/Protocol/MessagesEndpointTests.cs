using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>What /api/messages says to bad input, and what start-up says to bad registration settings.</summary>
public sealed class MessagesEndpointTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task MalformedJson_Is400WithAProblemBody()
    {
        var response = await _app.CreateClient().PostAsync("/api/messages",
            new StringContent("{\"type\": \"message\", ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The body is not a valid activity.", problem.GetProperty("title").GetString());
        Assert.Empty(_app.Connector.Calls);
    }

    [Fact]
    public async Task ActivityWithoutServiceUrl_Is400NamingTheField()
    {
        var activity = BotApp.Message("/help");
        activity.ServiceUrl = null;

        var response = await _app.PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Missing: serviceUrl.", problem.GetProperty("detail").GetString());
        Assert.Empty(_app.Connector.Calls);
    }

    [Theory]
    [InlineData("SingleTenant", "app", "secret", null, "MicrosoftAppTenantId is required")]
    [InlineData("MultiTenant", "app", null, null, "MicrosoftAppPassword is required")]
    [InlineData("UserAssignedMSI", "app", null, "t1", "MicrosoftAppType 'UserAssignedMSI' is not supported")]
    public void BadRegistrationSettings_StopTheBotNamingTheKey(string type, string appId, string? password, string? tenant, string message)
    {
        using var app = new BotApp(new()
        {
            ["MicrosoftAppType"] = type, ["MicrosoftAppId"] = appId, ["MicrosoftAppPassword"] = password, ["MicrosoftAppTenantId"] = tenant,
        });

        var ex = Assert.ThrowsAny<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task LocalMode_AcceptsActivitiesWithoutAToken()
    {
        var reply = await _app.SayAsync("/help");

        Assert.Contains("`/help`", reply);
        Assert.False(_app.Services.GetRequiredService<ChannelAuthenticator>().Enabled);
    }
}
