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
            activity = await BoundedBody.ReadAsync<Activity>(request, ct);
        }
        catch (BoundedBody.TooLargeException ex)
        {
            return Results.Problem(statusCode: 413, title: "The activity is too large.", detail: ex.Message);
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

        // Measured as stored: without the activity id, which is not kept.
        var reference = activity!.GetConversationReference();
        reference.ActivityId = null;
        var referenceBytes = JsonSerializer.SerializeToUtf8Bytes(reference, ProtocolJson.Options).Length;
        if (referenceBytes > Limits.ConversationReferenceBytes)
        {
            return Results.Problem(statusCode: 400, title: "The conversation reference is too large.",
                detail: Limits.TooLong("The conversation reference (ids and names of the conversation, sender and bot)", referenceBytes,
                    Limits.ConversationReferenceBytes, "bytes"));
        }

        var result = await auth.AuthenticateAsync(header, activity!, ct);
        if (!result.Succeeded)
        {
            logger.LogWarning("Rejected an activity: {Reason}", result.Failure);
            return Results.Unauthorized();
        }

        // Only a checked token vouches for the serviceUrl: the bot's own token may go there from now on.
        var invoke = await adapter.ProcessActivityAsync(activity!, ct, authenticated: auth.Enabled);
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
        else if (activity.Conversation.Id.Length > Limits.ConversationIdChars) missing.Add($"conversation.id of at most {Limits.ConversationIdChars} characters");
        // Someone types a message or clicks a card: without a sender there is nobody to answer or to check the rights
        // of, and nothing may be stored for them (a blank id used to be written first and fail later, a 500).
        if ((activity.Type is ActivityTypes.Message or ActivityTypes.Invoke || activity.From is not null) && string.IsNullOrWhiteSpace(activity.From?.Id))
            missing.Add("from.id");
        return missing;
    }
}
