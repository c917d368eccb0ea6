using System.Net.WebSockets;
using System.Threading.Channels;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>
/// The streamUrl: a WebSocket that carries every ActivitySet of the conversation as it happens, after first
/// sending what came after the client's watermark. Messages from the client (directlinejs pings with empty
/// frames) are read and ignored; a close from either side ends the stream.
/// </summary>
public static class DirectLineStream
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/conversations/{conversationId}/stream", StreamAsync);

    private static async Task<IResult> StreamAsync(string conversationId, HttpContext context, DirectLineHttp http,
        IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        var request = context.Request;
        var (_, refusal) = http.Authorize(request, conversationId);
        if (refusal is not null) return refusal;
        if (!context.WebSockets.IsWebSocketRequest)
            return DirectLineHttp.Error(400, "BadArgument", "The stream is a WebSocket: connect to the streamUrl with a WebSocket client.");
        if (!DirectLineHttp.TryWatermark(request, out var watermark)) return DirectLineHttp.BadWatermark(request);
        if (await http.Store.FindAsync(conversationId, ct) is not { } conversation)
            return DirectLineHttp.Error(404, "NotFound", $"Conversation '{conversationId}' was never started: POST conversations first.");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var reading = DrainIncomingAsync(socket, stop);
        Channel<byte[]>? stream = null;
        try
        {
            watermark = await SendOlderAsync(socket, http.Store, conversation, watermark, stop.Token);
            (stream, var backlog) = conversation.Subscribe(watermark);
            if (backlog is not null) await socket.SendAsync(backlog, WebSocketMessageType.Text, true, stop.Token);
            await foreach (var frame in stream.Reader.ReadAllAsync(stop.Token))
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, stop.Token);
            }
            // The conversation closed this stream because the client fell behind; it will resume from its watermark.
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Too slow; reconnect with your watermark.", CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away or the bot is stopping.
        }
        finally
        {
            if (stream is not null) conversation.Unsubscribe(stream);
            await stop.CancelAsync();
            await reading;
            await AnswerCloseAsync(socket);
        }
        return Results.Empty;
    }

    /// <summary>History below the in-memory window comes from the database first, page by page.</summary>
    private static async Task<long> SendOlderAsync(WebSocket socket, DirectLineStore store, DirectLineConversation conversation,
        long watermark, CancellationToken ct)
    {
        while (watermark < conversation.Floor)
        {
            var (older, next) = await store.OlderAsync(conversation.Id, watermark, 500, ct);
            if (next == watermark) break;
            await socket.SendAsync(DirectLineConversation.Frame(older.Select(e => e.Json), next), WebSocketMessageType.Text, true, ct);
            watermark = next;
        }
        return watermark;
    }

    /// <summary>Completes the closing handshake the client started, so its CloseAsync returns cleanly.</summary>
    private static async Task AnswerCloseAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.CloseReceived) return;
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }

    private static async Task DrainIncomingAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        await stop.CancelAsync();
    }
}
