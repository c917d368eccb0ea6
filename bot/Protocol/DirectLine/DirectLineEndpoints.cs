using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Rollout.Bot.Identity;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>Direct Line 3.0 for clients: tokens, starting and resuming conversations (botframework-directlinejs's calls).</summary>
public static class DirectLineEndpoints
{
    /// <summary>
    /// <c>{user:{id,name}, room}</c>: the user the token speaks for and, beyond the hosted service's body, the
    /// shared room to join; without a room the token is for the user's personal conversation with the bot.
    /// </summary>
    public sealed record GenerateRequest(ChannelAccount? User, string? Room);

    public sealed record GenerateResponse(
        [property: JsonPropertyName("conversationId")] string ConversationId,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/tokens/generate", GenerateAsync);
        group.MapPost("/tokens/refresh", async (HttpRequest request, DirectLineHttp http, WebChatIdentity identity) =>
        {
            var (grant, refusal) = http.Authorize(request, null);
            if (refusal is not null) return refusal;
            // A signed-in person's token lives on only while their sign-in does: signing out ends it at its next refresh.
            if (identity.IsConfigured && SignInUserIds.IsWellFormed(grant!.UserId)
                && (await identity.CurrentAsync(request.HttpContext))?.UserId != grant.UserId)
                return DirectLineHttp.Error(403, "SignInRequired", "The sign-in behind this token has ended: reload the chat page to sign in again.");
            var token = http.Tokens.Issue(grant!.ConversationId, grant.UserId, grant.UserName, grant.RoomName);
            return Results.Json(new GenerateResponse(grant.ConversationId, token, (int)http.Tokens.Lifetime.TotalSeconds));
        });
        group.MapPost("/conversations", StartAsync);
        group.MapGet("/conversations/{conversationId}", async (string conversationId, HttpRequest request, DirectLineHttp http, CancellationToken ct) =>
        {
            var (grant, refusal) = http.Authorize(request, conversationId);
            if (refusal is not null) return refusal;
            if (!DirectLineHttp.TryWatermark(request, out _)) return DirectLineHttp.BadWatermark(request);
            if (await http.Store.FindAsync(conversationId, ct) is null)
                return DirectLineHttp.Error(404, "NotFound", $"Conversation '{conversationId}' was never started: POST conversations first.");
            return Results.Json(http.Session(request, grant!, request.Query["watermark"].ToString()));
        });
    }

    private static async Task<IResult> GenerateAsync(HttpRequest request, DirectLineHttp http, IOptions<DirectLineOptions> options,
        IOptions<BotAuthOptions> auth, WebChatIdentity identity, CancellationToken ct)
    {
        GenerateRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try { body = await BoundedBody.ReadAsync<GenerateRequest>(request, ct); }
            catch (BoundedBody.TooLargeException ex) { return DirectLineHttp.Error(413, "MessageSizeTooBig", ex.Message); }
            catch (JsonException ex) { return DirectLineHttp.Error(400, "BadArgument", "The body is not valid JSON: " + ex.Message); }
        }
        var choosesRoom = !string.IsNullOrWhiteSpace(body?.Room);
        SignedInUser? signedIn = null;
        if (identity.IsConfigured)
        {
            // The identity source alone says who someone is: no sign-in, no token; a chosen id must be the signed-in one.
            signedIn = await identity.CurrentAsync(request.HttpContext);
            if (signedIn is null)
                return DirectLineHttp.Error(401, "SignInRequired", "Sign in first: open the chat page (or /webchat/signin); tokens are issued only for the signed-in person.");
            if (body?.User?.Id is { } asked && asked != signedIn.UserId)
                return DirectLineHttp.Error(403, "IdentityNotAccepted", $"You are signed in as '{signedIn.UserId}': a token is issued for " +
                    "the signed-in person only. Ask without a user id.");
            if (choosesRoom && !options.Value.ClientsChooseIdentity(auth.Value))
                return DirectLineHttp.Error(403, "IdentityNotAccepted", "This bot runs with a MicrosoftAppId, so a client cannot choose " +
                    "which room it joins (a room may be bound to the coordinators' or the security channel): chat in your personal conversation.");
        }
        else if ((body?.User?.Id is not null || choosesRoom) && !options.Value.ClientsChooseIdentity(auth.Value))
        {
            return DirectLineHttp.Error(403, "IdentityNotAccepted", "This bot runs with a MicrosoftAppId, so a client cannot choose " +
                "who it is (user id) or which room it joins: ask without a user and room for an anonymous token, or sign in.");
        }

        // The hosted service makes up a "dl_" user when none is given; so do we.
        var userId = signedIn?.UserId ?? body?.User?.Id ?? "dl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        if (signedIn is null && DirectLineRooms.CheckUserId(userId) is { } badUser) return DirectLineHttp.Error(400, "BadArgument", badUser);
        var userName = signedIn?.Name ?? (string.IsNullOrWhiteSpace(body?.User?.Name) ? userId : body.User.Name.Trim());
        if (userName.Length > 64) return DirectLineHttp.Error(400, "BadArgument", "The display name is longer than 64 characters: shorten it.");

        var room = body?.Room?.Trim();
        if (string.IsNullOrEmpty(room)) room = null;
        if (room is not null && DirectLineRooms.CheckRoomName(room) is { } badRoom) return DirectLineHttp.Error(400, "BadArgument", badRoom);

        var conversationId = room is null ? DirectLineRooms.PersonalId(userId) : DirectLineRooms.RoomId(room);
        var token = http.Tokens.Issue(conversationId, userId, userName, room);
        return Results.Json(new GenerateResponse(conversationId, token, (int)http.Tokens.Lifetime.TotalSeconds));
    }

    /// <summary>
    /// Starts the token's conversation, or joins it when it exists (a room someone else opened, a personal
    /// conversation from an earlier visit). A member seen for the first time is announced to the bot with a
    /// conversationUpdate, as the hosted channel does, so the bot can greet them.
    /// </summary>
    private static async Task<IResult> StartAsync(HttpRequest request, DirectLineHttp http, BotAdapter adapter,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var (grant, refusal) = http.Authorize(request, null);
        if (refusal is not null) return refusal;
        var isGroup = DirectLineRooms.IsRoom(grant!.ConversationId);
        var (conversation, created) = await http.Store.OpenAsync(grant.ConversationId, grant.RoomName, isGroup, ct);
        var user = new ChannelAccount { Id = grant.UserId, Name = grant.UserName, Role = "user" };
        if (conversation.Join(user))
        {
            var update = new Activity
            {
                Type = ActivityTypes.ConversationUpdate,
                ChannelId = DirectLineHttp.ChannelId,
                ServiceUrl = http.ServiceUrl(request),
                Conversation = conversation.Account,
                From = user,
                Recipient = http.Bot,
                MembersAdded = created ? [user, http.Bot] : [user],
                Timestamp = http.Clock.GetUtcNow(),
            };
            try
            {
                await adapter.ProcessActivityAsync(update, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                loggers.CreateLogger(typeof(DirectLineEndpoints)).LogError(ex, "The bot failed on a member joining {Conversation}", conversation.Id);
            }
        }
        return Results.Json(http.Session(request, grant, null), statusCode: created ? 201 : 200);
    }
}
