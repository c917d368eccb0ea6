using System.Text.RegularExpressions;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>
/// Conversation ids of the local channel are derived from what people pick on the page, so two tabs choosing
/// the same room meet in the same conversation: <c>personal:&lt;userId&gt;</c> and <c>room:&lt;name&gt;</c>.
/// </summary>
public static partial class DirectLineRooms
{
    public const string PersonalPrefix = "personal:";
    public const string RoomPrefix = "room:";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex UserIdPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,47}$")]
    private static partial Regex RoomNamePattern();

    /// <summary>A member of a conversation the bot opens: an id a person may pick, or a signed-in person's (oidc:host:sub).</summary>
    public static string? CheckMemberId(string? userId) =>
        Identity.SignInUserIds.IsWellFormed(userId) ? null : CheckUserId(userId);

    /// <summary>An id a client may pick on the page (never a signed-in person's: only the sign-in makes those).</summary>
    public static string? CheckUserId(string? userId) =>
        userId is not null && UserIdPattern().IsMatch(userId) ? null
            : $"User id '{userId}' is not valid: use 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.";

    public static string? CheckRoomName(string? name) =>
        name is not null && RoomNamePattern().IsMatch(name) && !name.EndsWith(' ') ? null
            : $"Room name '{name}' is not valid: use 1 to 48 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.";

    public static string PersonalId(string userId) => PersonalPrefix + userId;

    /// <summary>Room ids ignore case so "Ops" and "ops" are the same room.</summary>
    public static string RoomId(string roomName) => RoomPrefix + roomName.ToLowerInvariant();

    public static bool IsRoom(string conversationId) => conversationId.StartsWith(RoomPrefix, StringComparison.Ordinal);
}
