using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>What the client-facing and the bot-facing routes share: errors, tokens, URLs, accounts.</summary>
public sealed class DirectLineHttp(DirectLineTokens tokens, DirectLineStore store, IOptions<DirectLineOptions> options, LocalChannel local, TimeProvider clock)
{
    public const string ChannelId = "directline";
    public const string Prefix = "/v3/directline";

    public DirectLineTokens Tokens => tokens;
    public DirectLineStore Store => store;
    public TimeProvider Clock => clock;

    public ChannelAccount Bot { get; } = new() { Id = options.Value.BotId, Name = options.Value.BotName, Role = "bot" };

    /// <summary>The Connector error shape, <c>{error:{code,message}}</c>, which directlinejs and Bot Builder read.</summary>
    public static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorResponse { Error = new Error { Code = code, Message = message } }, ProtocolJson.Options, statusCode: status);

    /// <summary>The grant of the request's token, or the 401/403 answer when there is none or it does not fit.</summary>
    public (DirectLineGrant? Grant, IResult? Refusal) Authorize(HttpRequest request, string? conversationId)
    {
        var header = request.Headers.Authorization.ToString();
        string? token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (string.IsNullOrEmpty(token) && request.Query.TryGetValue("t", out var query)) token = query.ToString();
        if (string.IsNullOrEmpty(token))
            return (null, Error(401, "MissingToken", "Send the token from tokens/generate as 'Authorization: Bearer <token>'."));
        var grant = tokens.Validate(token);
        if (grant is null)
            return (null, Error(403, "TokenExpired", "The token is invalid or expired: get a new one from tokens/generate."));
        if (conversationId is not null && grant.ConversationId != conversationId)
            return (null, Error(403, "BadArgument", $"The token is for conversation '{grant.ConversationId}', not '{conversationId}'."));
        return (grant, null);
    }

    public SessionResponse Session(HttpRequest request, DirectLineGrant grant, string? watermark)
    {
        var token = tokens.Issue(grant.ConversationId, grant.UserId, grant.UserName, grant.RoomName);
        return new SessionResponse(grant.ConversationId, token, (int)tokens.Lifetime.TotalSeconds,
            StreamUrl(request, grant.ConversationId, token, watermark));
    }

    /// <summary>
    /// The serviceUrl the bot's replies come back to: its own base URL, configured or where it listens; never the
    /// request's Host header, which is the client's to choose (<see cref="LocalChannel"/>).
    /// </summary>
    public string ServiceUrl(HttpRequest request) => local.ServiceUrl;

    /// <summary>The Connector routes answer the bot alone: 401 for anyone else.</summary>
    public IResult? RefuseUnlessBot(HttpRequest request) => local.IsBot(request) ? null
        : Error(401, "Unauthorized", "The Connector routes of the local channel answer only the bot itself.");

    private static string StreamUrl(HttpRequest request, string conversationId, string token, string? watermark) =>
        $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}{request.PathBase}{Prefix}/conversations/" +
        $"{Uri.EscapeDataString(conversationId)}/stream?t={Uri.EscapeDataString(token)}" +
        (string.IsNullOrEmpty(watermark) ? "" : "&watermark=" + Uri.EscapeDataString(watermark));

    /// <summary>A watermark from the query: absent or empty means "from the beginning".</summary>
    public static bool TryWatermark(HttpRequest request, out long watermark)
    {
        var text = request.Query["watermark"].ToString();
        watermark = 0;
        return text.Length == 0 || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out watermark) && watermark >= 0);
    }

    public static IResult BadWatermark(HttpRequest request) =>
        Error(400, "BadArgument", $"Watermark '{request.Query["watermark"]}' is not valid: pass the watermark of the last activity set, a whole number.");

    public sealed record SessionResponse(
        [property: JsonPropertyName("conversationId")] string ConversationId,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("streamUrl")] string StreamUrl);
}
