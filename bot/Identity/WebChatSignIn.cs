using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Identity;

/// <summary>
/// OpenID Connect sign-in for the Web Chat page (<c>WebChat:Oidc</c>). When configured, the page asks for sign-in, a cookie
/// keeps who signed in, and the Direct Line token endpoint issues tokens for that person only (<see cref="WebChatIdentity"/>).
/// </summary>
public static class WebChatSignIn
{
    public const string CookieScheme = "WebChatCookie";
    public const string OidcScheme = "WebChatOidc";
    public const string SignInPath = "/webchat/signin";
    public const string SignOutPath = "/webchat/signout";
    public const string MePath = "/webchat/me";
    public const string CallbackPath = "/webchat/signin-oidc";

    public static IServiceCollection AddWebChatSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebChatSignInOptions>().BindConfiguration(WebChatSignInOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebChatSignInOptions>, WebChatSignInValidator>();
        services.AddSingleton<WebChatIdentity>();
        services.AddHostedService<IdentityModeAnnouncer>();

        // Without sign-in nothing is registered: ASP.NET Core adds the authentication middleware whenever a scheme exists.
        if (configuration.GetSection(WebChatSignInOptions.Section).Get<WebChatSignInOptions>()?.IsConfigured != true) return services;
        services.AddAuthentication(CookieScheme).AddCookie(CookieScheme).AddOpenIdConnect(OidcScheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<DirectLineOptions>>((o, directLine) =>
        {
            o.Cookie.Name = ".rollout.signin";
            o.Cookie.HttpOnly = true;
            // Lax: the cookie goes along when a person comes back from the provider, never on another site's POST to the token endpoint.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = SecurePolicy(directLine.Value);
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // The cookie only answers "who is this"; the page and /webchat/signin send people to the provider themselves.
            o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; };
            o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; };
        });
        services.AddOptions<OpenIdConnectOptions>(OidcScheme).Configure<IOptions<WebChatSignInOptions>, IOptions<DirectLineOptions>>(
            (o, signIn, directLine) => Configure(o, signIn.Value, directLine.Value));

        // The cookie is sealed with ASP.NET Data Protection: its keys live in the data folder, so sign-ins survive a restart.
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<DataFolderOptions>, ILoggerFactory>((o, data, loggers) =>
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(data.Value.FullPath, "keys")), loggers));
        return services;
    }

    private static void Configure(OpenIdConnectOptions o, WebChatSignInOptions s, DirectLineOptions directLine)
    {
        if (!s.IsConfigured) return;
        o.SignInScheme = CookieScheme;
        o.Authority = s.Authority;
        o.ClientId = s.ClientId;
        o.ClientSecret = string.IsNullOrWhiteSpace(s.ClientSecret) ? null : s.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back in the query of a top-level GET: no cross-site form post, so the cookies can be SameSite=Lax.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.CallbackPath = CallbackPath;
        o.RequireHttpsMetadata = !WebChatSignInOptions.IsLoopback(new Uri(s.Authority!));
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.SaveTokens = false;
        o.Scope.Clear();
        foreach (var scope in new[] { "openid", "profile" }.Concat(s.Scopes).Distinct(StringComparer.Ordinal)) o.Scope.Add(scope);
        // EGI Check-in sends entitlements from the userinfo endpoint: keep every value of the configured claim from there too.
        if (!string.IsNullOrWhiteSpace(s.RolesClaim)) o.ClaimActions.MapJsonKey(s.RolesClaim, s.RolesClaim);
        o.TokenValidationParameters.NameClaimType = "name";
        o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = SecurePolicy(directLine);
        o.Events = SignInEvents.Create(s, PublicBaseUrl(directLine));
    }

    /// <summary>The configured public URL (DirectLine:ServiceUrl) when there is one: required with a MicrosoftAppId.</summary>
    private static string? PublicBaseUrl(DirectLineOptions directLine) =>
        string.IsNullOrWhiteSpace(directLine.ServiceUrl) ? null : directLine.ServiceUrl.TrimEnd('/');

    private static CookieSecurePolicy SecurePolicy(DirectLineOptions directLine) =>
        PublicBaseUrl(directLine)?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
            ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>
    /// <c>/webchat/me</c> for the page (always, with the local channel); with sign-in configured also the sign-in and
    /// sign-out routes, and the page itself asks for sign-in. Call before MapDirectLine, whose static files come after.
    /// </summary>
    public static WebApplication MapWebChatSignIn(this WebApplication app)
    {
        var directLine = app.Services.GetRequiredService<IOptions<DirectLineOptions>>().Value;
        var auth = app.Services.GetRequiredService<IOptions<BotAuthOptions>>().Value;
        if (!directLine.IsEnabled(auth)) return app;
        var identity = app.Services.GetRequiredService<WebChatIdentity>();
        app.MapGet(MePath, async (HttpContext context) =>
        {
            var user = await identity.CurrentAsync(context);
            return Results.Json(new
            {
                signIn = identity.IsConfigured ? "oidc" : "none",
                user = user is null ? null : new { id = user.UserId, name = user.Name },
                chooseIdentity = !identity.IsConfigured && directLine.ClientsChooseIdentity(auth),
                rooms = directLine.ClientsChooseIdentity(auth),
            });
        });
        if (!identity.IsConfigured) return app;

        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            var page = HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Value is "/" or "/index.html";
            if (page && await identity.CurrentAsync(context) is null) await ChallengeAsync(context);
            else await next(context);
        });
        app.MapGet(SignInPath, (HttpContext context) => ChallengeAsync(context));
        app.MapPost(SignOutPath, async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme);
            await SignInEvents.FailurePageAsync(context, 200, "Signed out",
                "You are signed out of the bot's chat page (your provider's own session is not ended).");
        });
        return app;
    }

    /// <summary>Sends the person to the provider, back to the page afterwards; a provider that does not answer is a 503 page.</summary>
    private static async Task ChallengeAsync(HttpContext context)
    {
        try
        {
            await context.ChallengeAsync(OidcScheme, new AuthenticationProperties { RedirectUri = "/" });
        }
        catch (InvalidOperationException ex) when (!context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebChatSignIn))
                .LogWarning(ex, "The sign-in provider could not be reached");
            await SignInEvents.FailurePageAsync(context, 503, "Sign-in is not available",
                "The bot cannot reach its sign-in provider just now. Try again in a minute; if it lasts, tell the bot's operators.");
        }
    }
}
