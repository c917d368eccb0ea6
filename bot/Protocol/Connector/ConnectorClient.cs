using System.Net.Http.Json;
using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.Connector;

/// <summary>The Bot Connector REST API over HTTP, against whatever serviceUrl the activity came from.</summary>
public sealed class ConnectorClient(HttpClient http) : IConnector
{
    public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(activity.Conversation?.Id)}/activities", Outgoing(activity), ct);

    public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
        SendAsync<ResourceResponse>(HttpMethod.Post, serviceUrl,
            $"v3/conversations/{Escape(activity.Conversation?.Id)}/activities/{Escape(activity.ReplyToId)}", Outgoing(activity), ct);

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

    private async Task<T> SendAsync<T>(HttpMethod method, string serviceUrl, string path, object? body, CancellationToken ct)
    {
        var uri = new Uri(serviceUrl.TrimEnd('/') + "/" + path);
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: ProtocolJson.Options);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            ErrorResponse? error = null;
            try { error = await response.Content.ReadFromJsonAsync<ErrorResponse>(ProtocolJson.Options, ct); }
            catch (JsonException) { }
            throw new ConnectorException((int)response.StatusCode, error?.Error?.Code,
                $"{method} {uri.AbsolutePath} answered {(int)response.StatusCode}: {error?.Error?.Message ?? response.ReasonPhrase}");
        }
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
}
