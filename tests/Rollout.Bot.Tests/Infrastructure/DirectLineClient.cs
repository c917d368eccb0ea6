using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>The calls botframework-directlinejs makes, over the test server, for tests that read like a client.</summary>
public sealed class DirectLineClient(DirectLineApp app)
{
    private readonly HttpClient _http = app.CreateClient();

    public string Token { get; private set; } = "";
    public string ConversationId { get; private set; } = "";

    public async Task<HttpResponseMessage> GenerateAsync(string? userId, string? userName = null, string? room = null)
    {
        var response = await _http.PostAsJsonAsync("/v3/directline/tokens/generate",
            new { user = userId is null ? null : new { id = userId, name = userName }, room });
        if (response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Token = body.GetProperty("token").GetString()!;
            ConversationId = body.GetProperty("conversationId").GetString()!;
        }
        return response;
    }

    public Task<HttpResponseMessage> StartAsync() => SendAsync(HttpMethod.Post, "/v3/directline/conversations", new { });

    /// <summary>Generates a token for the user (and room) and starts or joins its conversation.</summary>
    public async Task<DirectLineClient> JoinAsync(string userId, string? userName = null, string? room = null)
    {
        (await GenerateAsync(userId, userName, room)).EnsureSuccessStatusCode();
        (await StartAsync()).EnsureSuccessStatusCode();
        return this;
    }

    public Task<HttpResponseMessage> PostAsync(object activity) =>
        SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{Uri.EscapeDataString(ConversationId)}/activities", activity);

    public async Task<string> SayAsync(string text, string? clientActivityId = null)
    {
        var response = await PostAsync(new { type = "message", text, channelData = new { clientActivityID = clientActivityId ?? Guid.NewGuid().ToString("N") } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ResourceResponse>(ProtocolJson.Options))!.Id!;
    }

    public Task<HttpResponseMessage> GetActivitiesAsync(string? watermark = null) =>
        SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{Uri.EscapeDataString(ConversationId)}/activities?watermark={watermark}", null);

    public async Task<(List<Activity> Activities, string Watermark)> ActivitiesAsync(string? watermark = null)
    {
        var response = await GetActivitiesAsync(watermark);
        response.EnsureSuccessStatusCode();
        var set = await response.Content.ReadFromJsonAsync<ActivitySet>(ProtocolJson.Options);
        return (set!.Activities, set.Watermark!);
    }

    /// <summary>Opens the conversation's stream, as directlinejs does with the streamUrl.</summary>
    public async Task<DirectLineStreamReader> StreamAsync(string? watermark = null)
    {
        var socket = app.Server.CreateWebSocketClient();
        var uri = new Uri(app.Server.BaseAddress, $"/v3/directline/conversations/{Uri.EscapeDataString(ConversationId)}/stream" +
            $"?t={Uri.EscapeDataString(Token)}&watermark={watermark}");
        var ws = await socket.ConnectAsync(new Uri("ws://" + uri.Authority + uri.PathAndQuery), CancellationToken.None);
        return new DirectLineStreamReader(ws);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if ((token ?? Token).Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: ProtocolJson.Options);
        return await _http.SendAsync(request);
    }

    public sealed record ActivitySet(List<Activity> Activities, string? Watermark);
}

/// <summary>Reads ActivitySets off a stream until one holds the activity a test waits for (bounded, never a sleep).</summary>
public sealed class DirectLineStreamReader(WebSocket socket) : IAsyncDisposable
{
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, cts.Token);
                message.Write(buffer, 0, received.Count);
            } while (!received.EndOfMessage);
            if (received.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("The stream closed.");
            var set = JsonSerializer.Deserialize<DirectLineClient.ActivitySet>(Encoding.UTF8.GetString(message.ToArray()), ProtocolJson.Options);
            if (set?.Activities.FirstOrDefault(match) is { } found) return found;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        socket.Dispose();
    }
}
