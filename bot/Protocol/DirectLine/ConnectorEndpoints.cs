using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>
/// The Bot Connector REST API (bot → channel) for the local channel's conversations. The bot's HTTP
/// ConnectorClient calls these at the serviceUrl it was given, which is the bot's own base URL, so replies,
/// updates and proactive posts take the same road as on Teams.
/// </summary>
public static class ConnectorEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v3/conversations");
        // Every route answers the bot alone (its ConnectorClient signs with the Direct Line key): nobody else may post,
        // edit or delete as the bot, nor list who is in a conversation.
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<DirectLineHttp>().RefuseUnlessBot(context.HttpContext.Request)
                ?? await next(context));
        group.MapPost("/", CreateAsync);
        group.MapPost("/{conversationId}/activities", (string conversationId, HttpRequest request, DirectLineHttp http, CancellationToken ct) =>
            SendAsync(conversationId, null, request, http, ct));
        group.MapPost("/{conversationId}/activities/{activityId}", (string conversationId, string activityId, HttpRequest request,
            DirectLineHttp http, CancellationToken ct) => SendAsync(conversationId, activityId, request, http, ct));
        group.MapPut("/{conversationId}/activities/{activityId}", UpdateAsync);
        group.MapDelete("/{conversationId}/activities/{activityId}", DeleteAsync);
        group.MapGet("/{conversationId}/members", async (string conversationId, DirectLineHttp http, CancellationToken ct) =>
            await http.Store.FindAsync(conversationId, ct) is { } conversation
                ? Results.Json(conversation.Members.Prepend(http.Bot), ProtocolJson.Options)
                : UnknownConversation(conversationId));
    }

    private static async Task<IResult> SendAsync(string conversationId, string? replyToId, HttpRequest request, DirectLineHttp http, CancellationToken ct)
    {
        var (activity, bad) = await ReadAsync<Activity>(request, ct);
        if (bad is not null) return bad;
        if (await http.Store.FindAsync(conversationId, ct) is not { } conversation) return UnknownConversation(conversationId);
        Prepare(activity!, conversation, http);
        activity!.ReplyToId ??= replyToId;
        if (activity.Type == ActivityTypes.Typing)
        {
            conversation.Signal(activity);
            return Results.Json(new ResourceResponse { Id = "" }, ProtocolJson.Options);
        }
        var id = conversation.Append(activity, http.Clock.GetUtcNow());
        return Results.Json(new ResourceResponse { Id = id }, ProtocolJson.Options);
    }

    private static async Task<IResult> UpdateAsync(string conversationId, string activityId, HttpRequest request, DirectLineHttp http, CancellationToken ct)
    {
        var (activity, bad) = await ReadAsync<Activity>(request, ct);
        if (bad is not null) return bad;
        if (await http.Store.FindAsync(conversationId, ct) is not { } conversation) return UnknownConversation(conversationId);
        Prepare(activity!, conversation, http);
        var replaced = conversation.Replace(activityId, activity!, null)
            || (await http.Store.FindOlderAsync(conversationId, activityId, ct) is { } older
                && conversation.Replace(activityId, activity!, older.Timestamp ?? http.Clock.GetUtcNow()));
        return replaced
            ? Results.Json(new ResourceResponse { Id = activityId }, ProtocolJson.Options)
            : UnknownActivity(conversationId, activityId);
    }

    private static async Task<IResult> DeleteAsync(string conversationId, string activityId, DirectLineHttp http, CancellationToken ct)
    {
        if (await http.Store.FindAsync(conversationId, ct) is not { } conversation) return UnknownConversation(conversationId);
        var entry = conversation.Find(activityId) ?? await http.Store.FindOlderAsync(conversationId, activityId, ct);
        if (entry is null) return UnknownActivity(conversationId, activityId);
        conversation.Remove(activityId, entry.Seq);
        return Results.Ok();
    }

    /// <summary>
    /// Proactive posts: a personal conversation with one member, or a room named by topicName. Both are the
    /// conversations the page opens, so the person sees the post when they come (back) to it.
    /// </summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, DirectLineHttp http, CancellationToken ct)
    {
        var (parameters, bad) = await ReadAsync<ConversationParameters>(request, ct);
        if (bad is not null) return bad;
        string conversationId;
        string? name = null;
        var isGroup = parameters!.IsGroup ?? false;
        if (isGroup)
        {
            name = parameters.TopicName?.Trim();
            if (DirectLineRooms.CheckRoomName(name) is { } badRoom) return DirectLineHttp.Error(400, "BadArgument", "topicName: " + badRoom);
            conversationId = DirectLineRooms.RoomId(name!);
        }
        else
        {
            if (parameters.Members is not [{ Id: var userId }])
                return DirectLineHttp.Error(400, "BadArgument", "A personal conversation needs exactly one member: members:[{id}].");
            if (DirectLineRooms.CheckMemberId(userId) is { } badUser) return DirectLineHttp.Error(400, "BadArgument", badUser);
            conversationId = DirectLineRooms.PersonalId(userId!);
        }

        var (conversation, _) = await http.Store.OpenAsync(conversationId, name, isGroup, ct);
        foreach (var member in parameters.Members ?? [])
        {
            if (DirectLineRooms.CheckMemberId(member.Id) is null) conversation.Join(new ChannelAccount { Id = member.Id, Name = member.Name, Role = "user" });
        }
        string? activityId = null;
        if (parameters.Activity is { } activity)
        {
            Prepare(activity, conversation, http);
            activityId = conversation.Append(activity, http.Clock.GetUtcNow());
        }
        return Results.Json(new ConversationResourceResponse
        {
            Id = conversationId, ActivityId = activityId, ServiceUrl = http.ServiceUrl(request),
        }, ProtocolJson.Options);
    }

    /// <summary>What the channel sets on the bot's activities, whatever the bot sent.</summary>
    private static void Prepare(Activity activity, DirectLineConversation conversation, DirectLineHttp http)
    {
        activity.Type ??= ActivityTypes.Message;
        activity.ChannelId = DirectLineHttp.ChannelId;
        activity.Conversation = conversation.Account;
        activity.ServiceUrl = null;
        activity.From = new ChannelAccount { Id = activity.From?.Id ?? http.Bot.Id, Name = activity.From?.Name ?? http.Bot.Name, Role = "bot" };
    }

    private static async Task<(T? Value, IResult? Bad)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        try
        {
            var value = await BoundedBody.ReadAsync<T>(request, ct);
            return value is null ? (null, DirectLineHttp.Error(400, "BadArgument", "The body is empty: send a JSON object.")) : (value, null);
        }
        catch (BoundedBody.TooLargeException ex)
        {
            return (null, DirectLineHttp.Error(413, "MessageSizeTooBig", ex.Message));
        }
        catch (JsonException ex)
        {
            return (null, DirectLineHttp.Error(400, "BadArgument", "The body is not valid JSON: " + ex.Message));
        }
    }

    private static IResult UnknownConversation(string conversationId) =>
        DirectLineHttp.Error(404, "ConversationNotFound", $"There is no Direct Line conversation '{conversationId}'.");

    private static IResult UnknownActivity(string conversationId, string activityId) =>
        DirectLineHttp.Error(404, "ActivityNotFound", $"Conversation '{conversationId}' has no activity '{activityId}'.");
}
