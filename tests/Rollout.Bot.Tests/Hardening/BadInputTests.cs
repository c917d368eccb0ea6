using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Protocol;

namespace Rollout.Bot.Tests.Hardening;

/// <summary>Inputs that used to answer 500 (issue 12 item 13), through the real endpoints: each gets a 4xx or a message.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<HttpResponseMessage> PostJsonAsync(string json) =>
        await _app.CreateClient().PostAsync("/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("test", "\"from\":{\"id\":\"u-alice\"},\"recipient\":{\"id\":\"bot\"},", "true")]
    [InlineData("msteams", "\"from\":{\"id\":\"u-alice\"},\"recipient\":{\"id\":\"bot\"},", "false")]
    [InlineData("msteams", "", "false")]
    [InlineData("directline", "\"from\":{\"id\":\"u-alice\"},", "false")]
    [InlineData("test", "\"from\":null,\"recipient\":null,", "true")]
    public async Task ConversationUpdate_WithANullMember_IsAcceptedAndWelcomesNobody(string channel, string parties, string isGroup)
    {
        var response = await PostJsonAsync($$"""
            {"type":"conversationUpdate","id":"cu-1","channelId":"{{channel}}","serviceUrl":"https://channel.test/",
             {{parties}}"conversation":{"id":"conv-room","isGroup":{{isGroup}}},
             "membersAdded":[null],"membersRemoved":[null]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AConversationUpdateFromABlankUserId_IsRefusedWith400()
    {
        var response = await PostJsonAsync("""
            {"type":"installationUpdate","id":"iu-1","channelId":"test","serviceUrl":"https://channel.test/",
             "from":{"id":" "},"recipient":{"id":"bot"},"conversation":{"id":"conv-blank"}}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("")]
    public async Task AMessageFromABlankUserId_IsRefusedWith400_AndStoresNothing(string userId)
    {
        var first = await _app.PostAsync(BotApp.Message("/help", userId: userId, conversationId: "conv-blank"));

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Contains("from.id", await first.Content.ReadAsStringAsync());
        var second = await _app.PostAsync(BotApp.Message("/whoami", userId: userId, conversationId: "conv-blank"));
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Conversations.CountAsync(c => c.ConversationId == "conv-blank"));
    }

    [Theory]
    [InlineData("/api/metrics?to=9999-12-31")]
    [InlineData("/api/metrics?to=0001-01-01")]
    [InlineData("/api/metrics?from=0001-01-01")]
    [InlineData("/api/metrics?from=9999-12-31")]
    public async Task MetricsAtTheEdgesOfTheCalendar_Answer400WithTheRange(string url)
    {
        var response = await _app.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("between", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheMetricsCommand_AtTheEndOfTime_AnswersWithTheRange()
    {
        var reply = await _app.SayAsync("/metrics to=9999-12-31");

        Assert.Contains("between", reply);
    }
}

/// <summary>A validly signed token whose expiry is past the calendar's end is refused with 401, not a 500.</summary>
public sealed class FarFutureTokenTests : IDisposable
{
    private const string AppId = "bot-app-id";
    private readonly TestIdentity _identity = new("test");
    private readonly BotApp _app;
    private readonly WebApplicationFactory<Program> _bot;

    public FarFutureTokenTests()
    {
        _app = new BotApp(_identity.Settings(AppId));
        _bot = _app.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddHttpClient(OpenIdMetadata.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _identity.Handler)));
    }

    public void Dispose()
    {
        _app.Dispose();
        _identity.Dispose();
    }

    [Theory]
    [InlineData(99999999999999L)]
    [InlineData(-99999999999999L)]
    public async Task ATokenExpiringPastTheCalendar_IsRefusedWith401(long exp)
    {
        var token = _identity.ChannelTokenWithRawTimes(AppId, BotApp.ServiceUrl, exp);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = System.Net.Http.Json.JsonContent.Create(BotApp.Message("/help"), options: Rollout.Bot.Protocol.Schema.ProtocolJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await _bot.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
