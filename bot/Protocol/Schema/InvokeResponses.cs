namespace Rollout.Bot.Protocol.Schema;

/// <summary>Universal Actions invoke bodies (adaptiveCard/action): a message, a replacement card, or an error.</summary>
public static class InvokeResponses
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    public const string MessageContentType = "application/vnd.microsoft.activity.message";
    public const string ErrorContentType = "application/vnd.microsoft.error";

    public static InvokeResponse Message(string text) =>
        new() { Status = 200, Body = new { statusCode = 200, type = MessageContentType, value = text } };

    public static InvokeResponse Card(object card) =>
        new() { Status = 200, Body = new { statusCode = 200, type = CardContentType, value = card } };

    public static InvokeResponse Error(int statusCode, string code, string message) =>
        new() { Status = 200, Body = new { statusCode, type = ErrorContentType, value = new { code, message } } };
}
