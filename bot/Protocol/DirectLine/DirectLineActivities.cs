using System.Security.Cryptography;
using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>Direct Line 3.0 for clients: sending an activity and polling for new ones.</summary>
public static class DirectLineActivities
{
    /// <summary>Most activities one poll returns; the client asks again from the watermark for the rest.</summary>
    private const int PageSize = 500;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/conversations/{conversationId}/activities", PostAsync);
        group.MapGet("/conversations/{conversationId}/activities", GetAsync);
    }

    /// <summary>
    /// Numbers and stores the activity, echoes it to every client of the conversation (Web Chat waits for the
    /// echo of its clientActivityID), then runs the bot's turn before answering, as the hosted service does.
    /// </summary>
    private static async Task<IResult> PostAsync(string conversationId, HttpRequest request, DirectLineHttp http, BotAdapter adapter,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var (grant, refusal) = http.Authorize(request, conversationId);
        if (refusal is not null) return refusal;
        Activity? activity;
        try
        {
            activity = await BoundedBody.ReadAsync<Activity>(request, ct);
        }
        catch (BoundedBody.TooLargeException ex)
        {
            return DirectLineHttp.Error(413, "MessageSizeTooBig", ex.Message);
        }
        catch (JsonException ex)
        {
            return DirectLineHttp.Error(400, "BadArgument", "The body is not a valid activity: " + ex.Message);
        }
        if (string.IsNullOrWhiteSpace(activity?.Type))
            return DirectLineHttp.Error(400, "BadArgument", "The activity has no type: send at least {\"type\":\"message\",\"text\":\"…\"}.");
        if (await http.Store.FindAsync(conversationId, ct) is not { } conversation)
            return DirectLineHttp.Error(404, "NotFound", $"Conversation '{conversationId}' was never started: POST conversations first.");

        // The token decides who speaks; a client cannot post as someone else.
        var name = string.IsNullOrWhiteSpace(activity.From?.Name) ? grant!.UserName : activity.From.Name;
        activity.From = new ChannelAccount { Id = grant!.UserId, Name = name, Role = "user" };
        activity.Recipient = http.Bot;
        activity.Conversation = conversation.Account;
        activity.ChannelId = DirectLineHttp.ChannelId;
        activity.ServiceUrl = null;

        if (activity.Type == ActivityTypes.Typing)
        {
            activity.Id = conversationId + "|typing-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            conversation.Signal(activity);
            return Results.Json(new ResourceResponse { Id = activity.Id }, ProtocolJson.Options);
        }

        conversation.Join(activity.From);
        var id = conversation.Append(activity, http.Clock.GetUtcNow());
        activity.ServiceUrl = http.ServiceUrl(request);
        try
        {
            await adapter.ProcessActivityAsync(activity, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(DirectLineActivities)).LogError(ex, "The bot failed on activity {ActivityId}", id);
            return DirectLineHttp.Error(502, "BotError", "The bot failed to process the activity; it has been logged.");
        }
        return Results.Json(new ResourceResponse { Id = id }, ProtocolJson.Options);
    }

    private static async Task<IResult> GetAsync(string conversationId, HttpRequest request, DirectLineHttp http, CancellationToken ct)
    {
        var (_, refusal) = http.Authorize(request, conversationId);
        if (refusal is not null) return refusal;
        if (!DirectLineHttp.TryWatermark(request, out var watermark)) return DirectLineHttp.BadWatermark(request);
        if (await http.Store.FindAsync(conversationId, ct) is not { } conversation)
            return DirectLineHttp.Error(404, "NotFound", $"Conversation '{conversationId}' was never started: POST conversations first.");

        List<DirectLineEntry> entries;
        long next;
        if (watermark < conversation.Floor)
        {
            (entries, next) = await http.Store.OlderAsync(conversationId, watermark, PageSize, ct);
        }
        else
        {
            (entries, next) = conversation.Since(watermark, PageSize);
            if (entries.Count == PageSize) next = entries[^1].Seq;
        }
        return Results.Bytes(DirectLineConversation.Frame(entries.Select(e => e.Json), Math.Max(next, watermark)), "application/json");
    }
}
