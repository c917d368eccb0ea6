using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Identity;

/// <summary>
/// The chat user id of a signed-in person: <c>oidc:&lt;issuer host&gt;:&lt;sub&gt;</c>. The subject is the provider's stable
/// id for the person; the issuer's host keeps two providers' subjects apart. Nobody can pick such an id on the page.
/// </summary>
public static class SignInUserIds
{
    public const string Prefix = "oidc:";

    /// <summary>The user id for <paramref name="subject"/> at <paramref name="issuer"/>, or why there can be none.</summary>
    public static (string? UserId, string? Problem) From(string? issuer, string? subject)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri))
            return (null, $"the provider's token names no usable issuer ('{issuer}').");
        if (string.IsNullOrWhiteSpace(subject))
            return (null, "the provider's token has no subject ('sub') to know you by.");
        if (subject.Any(char.IsWhiteSpace) || UserIds.Problem(subject) is not null)
            return (null, "the provider's subject ('sub') has spaces or invisible characters, so it cannot be a chat user id.");
        var userId = Prefix + uri.IdnHost + ":" + subject;
        if (userId.Length > Limits.NameChars)
            return (null, Limits.TooLong("The chat user id made from your subject", userId.Length, Limits.NameChars)
                .Replace(" Shorten it and send it again.", " Ask the bot's operators to use a provider with shorter subjects.", StringComparison.Ordinal));
        return (userId, null);
    }

    /// <summary>True for an id <see cref="From"/> could have made (a notice's personal chat may be opened for one).</summary>
    public static bool IsWellFormed(string? userId)
    {
        if (userId is null || !userId.StartsWith(Prefix, StringComparison.Ordinal) || userId.Length > Limits.NameChars) return false;
        var rest = userId.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        return colon > 0 && colon < rest.Length - 1 && !userId.Any(char.IsWhiteSpace) && UserIds.Problem(userId) is null;
    }
}
