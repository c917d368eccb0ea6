using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// The Bot Connector REST API as seen from the bot (a seam: tests use a fake channel, production the HTTP client).
/// Method names follow Bot Builder's ConversationsOperations.
/// </summary>
public interface IConnector
{
    Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default);
    Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default);
    Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default);
    Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken ct = default);
    Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken ct = default);
}

/// <summary>A Connector call the channel refused for good (a 4xx other than the retried ones, or retries exhausted).</summary>
public sealed class ConnectorException(int statusCode, string? code, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>How long the channel asked the bot to wait (Retry-After), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public int StatusCode { get; } = statusCode;
    public string? Code { get; } = code;
}
