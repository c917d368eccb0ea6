using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Identity;

/// <summary>
/// What the bot does at each step of an OpenID Connect sign-in: the reply address is the bot's public URL; the person's
/// chat user id comes from the token's issuer and subject; the roles their groups give are stored; a failure is a page
/// that says what happened, never a 500.
/// </summary>
internal static class SignInEvents
{
    public static OpenIdConnectEvents Create(WebChatSignInOptions settings, string? publicBaseUrl) => new()
    {
        OnRedirectToIdentityProvider = context =>
        {
            // Behind a TLS proxy the request the bot sees is http://127.0.0.1: the provider must send people back to the public URL.
            if (publicBaseUrl is not null) context.ProtocolMessage.RedirectUri = publicBaseUrl + context.Options.CallbackPath;
            return Task.CompletedTask;
        },
        OnTokenValidated = context =>
        {
            var issuer = context.SecurityToken?.Issuer ?? context.Principal?.FindFirst("iss")?.Value;
            var (userId, problem) = SignInUserIds.From(issuer, context.Principal?.FindFirst("sub")?.Value);
            if (problem is not null) context.Fail("You cannot chat as this account: " + problem);
            else ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(WebChatIdentity.UserIdClaim, userId!));
            return Task.CompletedTask;
        },
        OnTicketReceived = context => OnSignedInAsync(context, settings),
        OnRemoteFailure = async context =>
        {
            context.HandleResponse();
            await FailurePageAsync(context.HttpContext, 403, "Sign-in did not complete",
                context.Failure?.Message ?? "the identity provider gave no reason.");
        },
    };

    /// <summary>Replaces the provider's principal with the two facts the cookie keeps, after storing the roles its groups give.</summary>
    private static async Task OnSignedInAsync(TicketReceivedContext context, WebChatSignInOptions settings)
    {
        var principal = context.Principal!;
        var userId = principal.FindFirst(WebChatIdentity.UserIdClaim)!.Value;
        var name = DisplayName(principal, userId);
        var roles = RolesFrom(principal, settings);

        var services = context.HttpContext.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        await using (var db = await services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(context.HttpContext.RequestAborted))
            await SignInRoles.ReplaceAsync(db, userId, roles, clock.GetUtcNow(), context.HttpContext.RequestAborted);
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEvents))
            .LogInformation("{UserId} signed in to Web Chat; roles from the provider's groups: {Roles}", userId,
                roles.Count == 0 ? "none" : string.Join(", ", roles.Keys.Select(r => r.ToName())));

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(WebChatIdentity.UserIdClaim, userId), new Claim(WebChatIdentity.NameClaim, name)],
            "oidc", WebChatIdentity.NameClaim, null));
    }

    /// <summary>The coordinator and security roles whose group the configured claim holds (values compared exactly).</summary>
    internal static Dictionary<Role, string> RolesFrom(ClaimsPrincipal principal, WebChatSignInOptions settings)
    {
        var roles = new Dictionary<Role, string>();
        if (string.IsNullOrWhiteSpace(settings.RolesClaim)) return roles;
        var groups = principal.FindAll(settings.RolesClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(settings.CoordinatorGroup) && groups.Contains(settings.CoordinatorGroup)) roles[Role.Coordinator] = settings.CoordinatorGroup;
        if (!string.IsNullOrWhiteSpace(settings.SecurityGroup) && groups.Contains(settings.SecurityGroup)) roles[Role.Security] = settings.SecurityGroup;
        return roles;
    }

    /// <summary>The name claim (else preferred_username), visible characters only, at most the 64 the page shows.</summary>
    private static string DisplayName(ClaimsPrincipal principal, string userId)
    {
        var raw = principal.FindFirst("name")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? "";
        var visible = new string(raw.Where(ch => !char.IsControl(ch) && char.GetUnicodeCategory(ch) != System.Globalization.UnicodeCategory.Format).ToArray()).Trim();
        if (visible.Length == 0) return userId.Length <= 64 ? userId : userId[..64];
        return visible.Length <= 64 ? visible : visible[..64];
    }

    public static async Task FailurePageAsync(HttpContext context, int status, string title, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var html = HtmlEncoder.Default;
        await context.Response.WriteAsync($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.Encode(title)}</title></head>" +
            $"<body><h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p><p><a href=\"{html.Encode(WebChatSignIn.SignInPath)}\">Sign in again</a></p></body></html>");
    }
}
