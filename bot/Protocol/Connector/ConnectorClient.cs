using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.Connector;

/// <summary>
/// The Bot Connector REST API over HTTP, against whatever serviceUrl the activity came from. Busy answers are
/// retried (<see cref="ConnectorRetry"/>); the bot's token goes only to serviceUrls that reached us on an
/// authenticated activity, so a forged serviceUrl can never collect it.
/// </summary>
public sealed class ConnectorClient(
    HttpClient http, ConnectorRetry retry, ConnectorTokenProvider tokens, ConversationStore conversations,
    IOptions<BotAuthOptions> auth, TimeProvider clock, LocalChannel local, ILogger<ConnectorClient> logger) : IConnector
{
    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(activity.Conversation?.Id)}/activities", Outgoing(activity), ct);

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl,
            $"v3/conversations/{Escape(activity.Conversation?.Id)}/activities/{Escape(activity.ReplyToId)}", Outgoing(activity), ct,
            conversationId: activity.Conversation?.Id);

    public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        SendAsync<ResourceResponse>(HttpMethod.Put, serviceUrl,
            $"v3/conversations/{Escape(activity.Conversation?.Id)}/activities/{Escape(activity.Id)}", activity, ct);

    public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken ct = default) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", null, ct);

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken ct = default) =>
        SendAsync<ConversationResourceResponse>(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, ct);

    /// <summary>Bots should not send id (the channel assigns it); Bot Builder strips it the same way.</summary>
    private static Activity Outgoing(Activity activity)
    {
        activity.Id = null;
        return activity;
    }

    private static string Escape(string? value) =>
        Uri.EscapeDataString(value ?? throw new ArgumentException("A conversation or activity id is missing."));

    private async Task<T> SendAsync<T>(HttpMethod method, string serviceUrl, string path, object? body, CancellationToken ct,
        string? conversationId = null)
    {
        var uri = new Uri(serviceUrl.TrimEnd('/') + "/" + path);
        // Serialised once: each retry needs a fresh request message, and the body must be the same every time.
        var json = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ProtocolJson.Options);
        var token = await TokenForAsync(serviceUrl, ct);

        using var response = await retry.Pipeline.ExecuteAsync(async attemptCt =>
        {
            using var request = new HttpRequestMessage(method, uri);
            if (json is not null)
            {
                request.Content = new ByteArrayContent(json);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (conversationId is not null) request.Headers.TryAddWithoutValidation("x-ms-conversation-id", conversationId);
            return await http.SendAsync(request, attemptCt);
        }, ct);

        if (!response.IsSuccessStatusCode) throw await FailureAsync(method, uri, response, ct);
        if (response.Content.Headers.ContentLength == 0) return default!;
        try
        {
            return (await response.Content.ReadFromJsonAsync<T>(ProtocolJson.Options, ct))!;
        }
        catch (JsonException)
        {
            return default!;
        }
    }

    /// <summary>The bot's token, or null in local mode and for serviceUrls no authenticated activity vouched for.</summary>
    private async Task<string?> TokenForAsync(string serviceUrl, CancellationToken ct)
    {
        // The local channel gets the bot's own Direct Line-signed token, never the Azure one.
        if (local.IsLocal(serviceUrl)) return local.BotToken();
        if (!auth.Value.AuthEnabled) return null;
        if (await conversations.IsTrustedServiceUrlAsync(serviceUrl, ct)) return await tokens.GetTokenAsync(ct);
        logger.LogWarning("Not sending the bot's token to {ServiceUrl}: no authenticated activity came from it", serviceUrl);
        return null;
    }

    private async Task<ConnectorException> FailureAsync(HttpMethod method, Uri uri, HttpResponseMessage response, CancellationToken ct)
    {
        ErrorResponse? error = null;
        try { error = await response.Content.ReadFromJsonAsync<ErrorResponse>(ProtocolJson.Options, ct); }
        catch (JsonException) { }
        var status = (int)response.StatusCode;
        var gaveUp = ConnectorRetry.IsTransient(response.StatusCode) && ConnectorRetry.Retrying ? $" after {ConnectorRetry.MaxRetries} retries" : "";
        var message = $"{method} {uri.AbsolutePath} answered {status}{gaveUp}: {error?.Error?.Code} {error?.Error?.Message ?? response.ReasonPhrase}";
        logger.LogWarning("Connector call failed: {Message}", message);
        return new ConnectorException(status, error?.Error?.Code, message, ConnectorRetry.RetryAfterOf(response, clock));
    }
}
