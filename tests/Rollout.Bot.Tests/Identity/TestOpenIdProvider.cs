using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Rollout.Bot.Tests.Identity;

/// <summary>
/// A real OpenID provider (OpenIddict) on a loopback port, for the sign-in tests: the authorization code flow with PKCE, one
/// registered client, a <c>groups</c> claim, and a test-only <c>/test-login</c> that signs a person in without a form.
/// Degraded mode (no OpenIddict stores): the client and its redirect URI are checked by the two handlers below.
/// </summary>
public sealed class TestOpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "rollout-bot";
    public const string ClientSecret = "test-client-secret";
    private const string LoginScheme = "ProviderLogin";
    private readonly WebApplication _app;

    private TestOpenIdProvider(WebApplication app, string redirectUri)
    {
        _app = app;
        RedirectUri = redirectUri;
    }

    public string RedirectUri { get; }
    public string Authority { get; private set; } = "";

    /// <summary>Starts the provider; <paramref name="redirectUri"/> is the only place it sends codes to.</summary>
    public static async Task<TestOpenIdProvider> StartAsync(string redirectUri)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(LoginScheme).AddCookie(LoginScheme, o => o.Cookie.Name = "provider.login");
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetUserInfoEndpointUris("connect/userinfo");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile, "groups");
            o.RegisterClaims(Claims.Subject, Claims.Name, "groups");
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.EnableDegradedMode().DisableTokenStorage().DisableAuthorizationStorage();
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableUserInfoEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId) context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (context.RedirectUri != redirectUri) context.Reject(Errors.InvalidRequest, $"The redirect_uri '{context.RedirectUri}' is not registered.");
                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret) context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                return default;
            }));
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/test-login", async (HttpContext http, string sub, string name, string? groups, string? groupsIn) =>
        {
            var claims = new List<Claim> { new("sub", sub), new("name", name), new("groups_in", groupsIn ?? "id_token") };
            claims.AddRange((groups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(g => new Claim("groups", g)));
            await http.SignInAsync(LoginScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, LoginScheme)));
            return Results.Text("signed in at the provider");
        });
        app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync);
        app.MapMethods("/connect/userinfo", ["GET", "POST"], async (HttpContext http) =>
        {
            var principal = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
            var info = new Dictionary<string, object?> { ["sub"] = principal.GetClaim(Claims.Subject), ["name"] = principal.GetClaim(Claims.Name) };
            var groups = principal.GetClaims("groups");
            if (!groups.IsEmpty) info["groups"] = groups;
            return Results.Json(info);
        });
        await app.StartAsync();
        var provider = new TestOpenIdProvider(app, redirectUri);
        provider.Authority = app.Urls.First().TrimEnd('/') + "/";
        return provider;
    }

    /// <summary>The sign-in: whoever /test-login signed in, with groups in the id token or only from userinfo.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        var login = await http.AuthenticateAsync(LoginScheme);
        if (!login.Succeeded)
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "Nobody is signed in at the test provider.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var person = login.Principal!;
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.FindFirst("sub")!.Value);
        identity.SetClaim(Claims.Name, person.FindFirst("name")!.Value);
        identity.SetClaims("groups", person.FindAll("groups").Select(c => c.Value).ToImmutableArray());
        identity.SetScopes(request.GetScopes());
        var groupsInIdToken = person.FindFirst("groups_in")?.Value != "userinfo";
        identity.SetDestinations(claim => claim.Type == "groups" && !groupsInIdToken
            ? [Destinations.AccessToken]
            : [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Where a test's browser goes to be signed in at the provider as this person.</summary>
    public string LoginUrl(string sub, string name, IEnumerable<string>? groups = null, bool groupsOnlyFromUserInfo = false) =>
        $"{Authority}test-login?sub={Uri.EscapeDataString(sub)}&name={Uri.EscapeDataString(name)}" +
        $"&groups={Uri.EscapeDataString(string.Join(",", groups ?? []))}&groupsIn={(groupsOnlyFromUserInfo ? "userinfo" : "id_token")}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
