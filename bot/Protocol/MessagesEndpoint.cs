using System.Text.Json;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary><c>POST /api/messages</c>: the channel's way in.</summary>
public static class MessagesEndpoint
{
    public static IEndpointRouteBuilder MapBotMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, ChannelAuthenticator auth, BotAdapter adapter,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("Rollout.Bot.Protocol.Messages");
        var header = request.Headers.Authorization.ToString();
        if (auth.Enabled && string.IsNullOrWhiteSpace(header))
        {
            logger.LogWarning("Rejected an activity without an Authorization header");
            return Results.Unauthorized();
        }

        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(request.Body, ProtocolJson.Options, ct);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, title: "The body is not a valid activity.", detail: ex.Message);
        }

        var missing = MissingFields(activity);
        if (missing.Count > 0)
        {
            return Results.Problem(statusCode: 400, title: "The activity lacks required fields.",
                detail: "Missing: " + string.Join(", ", missing) + ".");
        }

        var result = await auth.AuthenticateAsync(header, activity!, ct);
        if (!result.Succeeded)
        {
            logger.LogWarning("Rejected an activity: {Reason}", result.Failure);
            return Results.Unauthorized();
        }

        var invoke = await adapter.ProcessActivityAsync(activity!, ct);
        if (invoke is null) return Results.Ok();
        return invoke.Body is null
            ? Results.StatusCode(invoke.Status)
            : Results.Json(invoke.Body, ProtocolJson.Options, statusCode: invoke.Status);
    }

    private static List<string> MissingFields(Activity? activity)
    {
        if (activity is null) return ["type", "channelId", "serviceUrl", "conversation.id"];
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(activity.Type)) missing.Add("type");
        if (string.IsNullOrWhiteSpace(activity.ChannelId)) missing.Add("channelId");
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl)) missing.Add("serviceUrl");
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id)) missing.Add("conversation.id");
        // Someone types a message or clicks a card: without a sender there is nobody to answer or to check the rights
        // of, and nothing may be stored for them (a blank id used to be written first and fail later, a 500).
        if (activity.Type is ActivityTypes.Message or ActivityTypes.Invoke && string.IsNullOrWhiteSpace(activity.From?.Id))
            missing.Add("from.id");
        return missing;
    }
}
