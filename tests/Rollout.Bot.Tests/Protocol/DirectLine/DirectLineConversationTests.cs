using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol.DirectLine;

public sealed class DirectLineConversationTests : IDisposable
{
    private readonly DirectLineApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Start_FirstTime_Creates201WithTokenAndStreamUrl_ThenJoins200()
    {
        var client = _app.Client();
        (await client.GenerateAsync("alice", "Alice")).EnsureSuccessStatusCode();

        var first = await client.StartAsync();
        var again = await client.StartAsync();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("personal:alice", body.GetProperty("conversationId").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("token").GetString()));
        Assert.Equal(1800, body.GetProperty("expires_in").GetInt32());
        Assert.StartsWith("ws://localhost/v3/directline/conversations/personal%3Aalice/stream?t=", body.GetProperty("streamUrl").GetString());
    }

    [Fact]
    public async Task PostActivity_GetsIdAndTimestamp_AndIsEchoedWithItsClientActivityId()
    {
        var client = await _app.Client().JoinAsync("alice", "Alice");

        var id = await client.SayAsync("hello there", clientActivityId: "web-chat-42");

        var (activities, _) = await client.ActivitiesAsync();
        var echo = Assert.Single(activities, a => a.Id == id);
        Assert.StartsWith("personal:alice|", id);
        Assert.Equal("hello there", echo.Text);
        Assert.Equal("web-chat-42", echo.ChannelData!.Value.GetProperty("clientActivityID").GetString());
        Assert.Equal("alice", echo.From!.Id);
        Assert.Equal("user", echo.From.Role);
        Assert.Equal(TimeSpan.Zero, echo.Timestamp!.Value.Offset);
    }

    [Fact]
    public async Task PostActivity_AsSomeoneElse_IsPostedAsTheTokensUser()
    {
        var client = await _app.Client().JoinAsync("alice", "Alice");

        await client.PostAsync(new { type = "message", text = "hi", from = new { id = "mallory", name = "Mallory" } });

        var (activities, _) = await client.ActivitiesAsync();
        Assert.Equal("alice", Assert.Single(activities, a => a.Text == "hi").From!.Id);
    }

    [Fact]
    public async Task GetActivities_WithWatermark_ReturnsOnlyNewerOnes_AndTheWatermarkOnlyGrows()
    {
        var client = await _app.Client().JoinAsync("alice", "Alice");
        await using var stream = await client.StreamAsync();
        await client.SayAsync("first");
        await stream.WaitForAsync(a => a.ReplyToId is not null); // the bot's answer to "first" is in
        var (_, watermark) = await client.ActivitiesAsync();

        var secondId = await client.SayAsync("second");
        var (newer, next) = await client.ActivitiesAsync(watermark);

        Assert.Equal(secondId, newer[0].Id);
        Assert.DoesNotContain(newer, a => a.Text == "first");
        Assert.True(long.Parse(next) > long.Parse(watermark));
        var (none, same) = await client.ActivitiesAsync(next);
        Assert.True(none.Count == 0 || none.All(a => a.From!.Role == "bot"));
        Assert.True(long.Parse(same) >= long.Parse(next));
    }

    [Fact]
    public async Task Help_IsAnsweredThroughTheConnectorRoutes_IntoTheConversation()
    {
        var client = await _app.Client().JoinAsync("alice", "Alice");
        await using var stream = await client.StreamAsync();

        var id = await client.SayAsync("/help");

        var reply = await stream.WaitForAsync(a => a.ReplyToId == id);
        Assert.Contains("**Everyone**", reply.Text);
        Assert.Equal("bot", reply.From!.Role);
        Assert.Equal("directline", reply.ChannelId);
        var (activities, _) = await client.ActivitiesAsync();
        Assert.Contains(activities, a => a.ReplyToId == id && a.Text!.Contains("/help"));
    }

    [Fact]
    public async Task NewMember_IsWelcomedOnce()
    {
        var client = await _app.Client().JoinAsync("alice", "Alice");
        await using var stream = await client.StreamAsync();
        await stream.WaitForAsync(a => a.Text?.StartsWith("Welcome, Alice") == true);

        await client.StartAsync();
        await client.SayAsync("/help");
        await stream.WaitForAsync(a => a.Text?.Contains("**Everyone**") == true);

        var (activities, _) = await client.ActivitiesAsync();
        Assert.Single(activities, a => a.Text?.StartsWith("Welcome") == true);
    }

    [Fact]
    public async Task Resume_ReturnsAFreshTokenAndAStreamUrlFromTheWatermark()
    {
        var client = await _app.Client().JoinAsync("alice");

        var response = await client.SendAsync(HttpMethod.Get, "/v3/directline/conversations/personal%3Aalice?watermark=3", null);

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("personal:alice", body.GetProperty("conversationId").GetString());
        Assert.EndsWith("&watermark=3", body.GetProperty("streamUrl").GetString());
    }
}
