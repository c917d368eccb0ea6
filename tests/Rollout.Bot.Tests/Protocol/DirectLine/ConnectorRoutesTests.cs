using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol.DirectLine;

/// <summary>The Connector REST calls a bot makes, answered by the local channel for its own conversations.</summary>
public sealed class ConnectorRoutesTests : IDisposable
{
    private readonly DirectLineApp _app = new();

    public void Dispose() => _app.Dispose();

    private Task<HttpResponseMessage> Connector(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: ProtocolJson.Options);
        return _app.BotClient().SendAsync(request);
    }

    [Fact]
    public async Task Update_ResendsTheActivityWithItsIdAndOriginalTimestamp_UnderANewWatermark()
    {
        var client = await _app.Client().JoinAsync("alice");
        var sent = await Connector(HttpMethod.Post, "/v3/conversations/personal%3Aalice/activities", new { type = "message", text = "v1" });
        var id = (await sent.Content.ReadFromJsonAsync<ResourceResponse>())!.Id!;
        var (before, watermark) = await client.ActivitiesAsync();
        var original = Assert.Single(before, a => a.Id == id);

        var put = await Connector(HttpMethod.Put, $"/v3/conversations/personal%3Aalice/activities/{Uri.EscapeDataString(id)}",
            new { type = "message", id, text = "v2" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var (after, _) = await client.ActivitiesAsync(watermark);
        // The welcome of the join may still be on its way (it is sent after the join's turn): only the update counts here.
        var updated = Assert.Single(after, a => a.Id == id);
        Assert.Equal(id, updated.Id);
        Assert.Equal("v2", updated.Text);
        Assert.Equal(original.Timestamp, updated.Timestamp);
        var (all, _) = await client.ActivitiesAsync();
        Assert.Equal("v2", Assert.Single(all, a => a.Id == id).Text);
    }

    [Fact]
    public async Task Delete_RemovesTheActivityFromTheHistory()
    {
        var client = await _app.Client().JoinAsync("alice");
        var sent = await Connector(HttpMethod.Post, "/v3/conversations/personal%3Aalice/activities", new { type = "message", text = "oops" });
        var id = (await sent.Content.ReadFromJsonAsync<ResourceResponse>())!.Id!;

        var deleted = await Connector(HttpMethod.Delete, $"/v3/conversations/personal%3Aalice/activities/{Uri.EscapeDataString(id)}", null);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var (all, _) = await client.ActivitiesAsync();
        Assert.DoesNotContain(all, a => a.Id == id);
    }

    [Fact]
    public async Task CreateConversation_ForARoom_PostsItsFirstActivityThere()
    {
        var created = await Connector(HttpMethod.Post, "/v3/conversations", new
        {
            isGroup = true, topicName = "Ops", activity = new { type = "message", text = "Deadline tomorrow" },
        });

        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("room:ops", body.GetProperty("id").GetString());
        // Where the bot listens, never the request's Host header (issue 12 item 5).
        Assert.Equal(_app.Services.GetRequiredService<Rollout.Bot.Protocol.DirectLine.LocalChannel>().ServiceUrl, body.GetProperty("serviceUrl").GetString());
        var reader = await _app.Client().JoinAsync("carol", room: "ops");
        var (activities, _) = await reader.ActivitiesAsync();
        Assert.Contains(activities, a => a.Id == body.GetProperty("activityId").GetString() && a.Text == "Deadline tomorrow");
    }

    [Fact]
    public async Task CreateConversation_PersonalWithoutExactlyOneMember_IsExplained()
    {
        var response = await Connector(HttpMethod.Post, "/v3/conversations", new { isGroup = false, members = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("exactly one member", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Send_ToAnUnknownConversation_Is404()
    {
        var response = await Connector(HttpMethod.Post, "/v3/conversations/personal%3Anobody/activities", new { type = "message", text = "hi" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LongHistory_IsPagedFromTheDatabaseThenMemory_WithoutGapsOrRepeats()
    {
        var client = await _app.Client().JoinAsync("alice");
        await using var stream = await client.StreamAsync();
        await stream.WaitForAsync(a => a.Text?.StartsWith("Welcome") == true);
        const int count = 1200; // more than the 1000 kept in memory
        for (var i = 0; i < count; i++)
        {
            (await Connector(HttpMethod.Post, "/v3/conversations/personal%3Aalice/activities", new { type = "message", text = $"n{i}" }))
                .EnsureSuccessStatusCode();
        }

        var seen = new List<string>();
        var watermark = "";
        // Polls like a client: a page that the background writer has not stored yet just comes back empty.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (seen.Count < count && DateTime.UtcNow < deadline)
        {
            var (activities, next) = await client.ActivitiesAsync(watermark);
            seen.AddRange(activities.Where(a => a.Text!.StartsWith('n')).Select(a => a.Text!));
            watermark = next;
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"n{i}"), seen);

        // A stream opened from the start gets the same history: database pages, then memory, then live.
        var streamed = new List<string>();
        await using var fromStart = await client.StreamAsync();
        await fromStart.WaitForAsync(a =>
        {
            if (a.Text?.StartsWith('n') == true) streamed.Add(a.Text);
            return a.Text == $"n{count - 1}";
        });
        Assert.Equal(seen, streamed);
    }
}
