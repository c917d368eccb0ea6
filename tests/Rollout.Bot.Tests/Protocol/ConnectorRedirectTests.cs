using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>
/// The Connector's production HTTP stack against a channel on a real socket: a 3xx is a failure, never followed,
/// so the bot's token cannot be led to a host that no authenticated activity vouched for.
/// </summary>
public sealed class ConnectorRedirectTests : IAsyncLifetime
{
    private WebApplication _channel = null!;
    private ConnectorHarness _h = null!;
    private string _baseUrl = "";
    private int _redirectTargetHits;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _channel = builder.Build();
        _channel.MapPost("/a/v3/conversations/{id}/activities", (HttpContext http) =>
            Results.Redirect("/b/v3/conversations/x/activities", permanent: false, preserveMethod: true));
        _channel.MapPost("/b/v3/conversations/{id}/activities", () =>
        {
            Interlocked.Increment(ref _redirectTargetHits);
            return Results.Json(new { id = "leaked" });
        });
        await _channel.StartAsync();
        _baseUrl = _channel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _h = await ConnectorHarness.StartAsync(appId: null, realChannelHttp: true);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _channel.DisposeAsync();
    }

    [Fact]
    public async Task ARedirectFromTheChannel_IsAFailure_AndIsNotFollowed()
    {
        var activity = ConnectorHarness.Message(serviceUrl: _baseUrl + "/a/", conversationId: "c1");

        var failure = await Assert.ThrowsAsync<ConnectorException>(() => _h.Connector.SendToConversationAsync(_baseUrl + "/a/", activity));

        Assert.Equal(307, failure.StatusCode);
        Assert.Equal(0, _redirectTargetHits);
    }
}
