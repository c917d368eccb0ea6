using System.Globalization;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Every size the bot accepts, in one place (issue 12 item 11), and the one wording of a refusal that names the limit.
/// The README's "Limits" table lists them; a test posts one past each.
/// </summary>
public static class Limits
{
    /// <summary>One inbound activity's JSON (Teams caps a message at about 100 KB; a card click is a few KB).</summary>
    public const int ActivityBytes = 256 * 1024;

    /// <summary>The text of one message, in characters.</summary>
    public const int TextChars = 16_000;

    /// <summary>One <c>key=value</c> value of a command (notes, known issues, a reason), in characters.</summary>
    public const int FieldChars = 4_000;

    /// <summary>A name-like value: site, component, version, stack, user, role, in characters.</summary>
    public const int NameChars = 100;

    /// <summary>The keys whose values are names and so get <see cref="NameChars"/>.</summary>
    public static readonly IReadOnlySet<string> NameKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "site", "component", "version", "stack", "user", "role", "name", "type", "channel", "email", "country",
    };

    /// <summary>Characters of a typed word the bot repeats back (an unknown command) before it cuts it off.</summary>
    public const int EchoChars = 40;

    /// <summary>The stored reference of one conversation (ids and names of the conversation, user and bot), in UTF-8 bytes.</summary>
    public const int ConversationReferenceBytes = 4 * 1024;

    /// <summary>A conversation id, in characters (Teams thread ids run to about 150).</summary>
    public const int ConversationIdChars = 512;

    /// <summary>What one local Direct Line conversation keeps in memory for its clients, in bytes of activity JSON.</summary>
    public const int DirectLineRetainedBytes = 4 * 1024 * 1024;

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The one wording: what was too long, how long it was, what the limit is.</summary>
    public static string TooLong(string what, long length, long limit, string unit = "characters") =>
        $"{what} is {Count(length)} {unit} long; the limit is {Count(limit)} {unit}. Shorten it and send it again.";

    /// <summary>A word as the bot may repeat it: cut after <see cref="EchoChars"/> characters.</summary>
    public static string Echo(string word) => word.Length <= EchoChars ? word : word[..EchoChars] + "…";
}
