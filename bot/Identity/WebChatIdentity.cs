using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Rollout.Bot.Identity;

/// <summary>Who is signed in to the Web Chat page, for the Direct Line token endpoint: the one place it asks.</summary>
public sealed record SignedInUser(string UserId, string Name);

public sealed class WebChatIdentity(IOptions<WebChatSignInOptions> options)
{
    /// <summary>The claims the sign-in cookie keeps: the chat user id and the display name, nothing else.</summary>
    public const string UserIdClaim = "rollout:user";
    public const string NameClaim = "name";

    /// <summary>True when an identity source is configured: then only it says who someone is.</summary>
    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>The person the request's sign-in cookie speaks for; null without one, or with one that does not verify.</summary>
    public async Task<SignedInUser?> CurrentAsync(HttpContext context)
    {
        if (!IsConfigured) return null;
        var result = await context.AuthenticateAsync(WebChatSignIn.CookieScheme);
        if (!result.Succeeded || result.Principal.FindFirst(UserIdClaim)?.Value is not { } userId || !SignInUserIds.IsWellFormed(userId))
            return null;
        return new SignedInUser(userId, result.Principal.FindFirst(NameClaim)?.Value ?? userId);
    }
}
