using System.Net;
using System.Net.Http.Headers;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Connector;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>Busy answers are retried with backoff or as Retry-After asks; refusals fail at once. Nothing sleeps: the clock is manual.</summary>
public sealed class ConnectorRetryTests : IAsyncLifetime
{
    private ConnectorHarness _h = null!;

    public async Task InitializeAsync() => _h = await ConnectorHarness.StartAsync(appId: null);
    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<Rollout.Bot.Protocol.Schema.ResourceResponse> SendAsync() =>
        _h.Clock.RunAsync(_h.Connector.SendToConversationAsync(ConnectorHarness.TeamsServiceUrl, ConnectorHarness.Message()));

    [Fact]
    public async Task Send_WhenChannelAnswers429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        _h.Channel.Then(HttpStatusCode.TooManyRequests, configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        var response = await SendAsync();

        Assert.Equal("act-1", response.Id);
        Assert.Equal(2, _h.Channel.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7)], _h.Clock.Delays);
        Assert.Equal(_h.Channel.Requests[0].Body, _h.Channel.Requests[1].Body);
    }

    [Fact]
    public async Task Send_WhenRetryAfterIsAnHttpDate_WaitsUntilThatDate()
    {
        var until = _h.Clock.GetUtcNow().AddSeconds(12);
        _h.Channel.Then(HttpStatusCode.TooManyRequests, configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(until));

        await SendAsync();

        Assert.Equal([TimeSpan.FromSeconds(12)], _h.Clock.Delays);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    public async Task Send_WhenChannelIsBrieflyDown_BacksOffThenSucceeds(HttpStatusCode status)
    {
        _h.Channel.Then(status).Then(status);

        var response = await SendAsync();

        Assert.Equal("act-1", response.Id);
        Assert.Equal(3, _h.Channel.Requests.Count);
        Assert.Equal(2, _h.Clock.Delays.Count);
        Assert.All(_h.Clock.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), ConnectorRetry.MaxDelay));
    }

    [Fact]
    public async Task Send_WhenChannelAnswers400_FailsAtOnceWithTheChannelsErrorCode()
    {
        _h.Channel.Then(HttpStatusCode.BadRequest, """{"error":{"code":"BadArgument","message":"Unknown activity type"}}""");

        var ex = await Assert.ThrowsAsync<ConnectorException>(SendAsync);

        Assert.Single(_h.Channel.Requests);
        Assert.Empty(_h.Clock.Delays);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("BadArgument", ex.Code);
        Assert.Contains("Unknown activity type", ex.Message);
    }

    [Fact]
    public async Task Send_WhenChannelStaysThrottled_GivesUpAfterFourRetries()
    {
        _h.Channel.Default = _ => RecordingHandler.Json(HttpStatusCode.TooManyRequests, """{"error":{"code":"Throttled","message":"slow down"}}""");

        var ex = await Assert.ThrowsAsync<ConnectorException>(SendAsync);

        Assert.Equal(1 + ConnectorRetry.MaxRetries, _h.Channel.Requests.Count);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal("Throttled", ex.Code);
    }

    [Fact]
    public async Task Send_WhenRetryAfterIsTooLong_WaitsNoLongerThanTheCap()
    {
        _h.Channel.Then(HttpStatusCode.TooManyRequests, configure: r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(1)));

        await SendAsync();

        Assert.Equal([ConnectorRetry.MaxDelay], _h.Clock.Delays);
    }
}
