using System.Net;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.DirectLine;

namespace Rollout.Bot.Identity;

/// <summary>
/// OpenID Connect sign-in for the Web Chat page (section <c>WebChat:Oidc</c>): the identity source of the local channel.
/// Unset (no Authority) means no sign-in: the page works as before, and with a MicrosoftAppId tokens stay anonymous.
/// </summary>
public sealed class WebChatSignInOptions
{
    public const string Section = "WebChat:Oidc";

    /// <summary>The provider's issuer URL, e.g. https://aai.egi.eu/auth/realms/egi (its metadata is read from there).</summary>
    public string? Authority { get; set; }

    /// <summary>The client id registered for the bot at the provider (redirect URI: the bot's base URL + /webchat/signin-oidc).</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret; empty for a public client (the code flow always uses PKCE).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides openid and profile, e.g. eduperson_entitlement for EGI Check-in.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The claim that lists the person's groups or entitlements, e.g. groups or eduperson_entitlement.</summary>
    public string? RolesClaim { get; set; }

    /// <summary>A value of <see cref="RolesClaim"/> that makes its holder a coordinator.</summary>
    public string? CoordinatorGroup { get; set; }

    /// <summary>A value of <see cref="RolesClaim"/> that puts its holder in the security group.</summary>
    public string? SecurityGroup { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>What is wrong, naming the key to fix; empty when the settings are usable.</summary>
    public IEnumerable<string> Problems(bool directLineOn)
    {
        var others = new (string Key, string? Value)[]
        {
            ("ClientId", ClientId), ("ClientSecret", ClientSecret), ("RolesClaim", RolesClaim),
            ("CoordinatorGroup", CoordinatorGroup), ("SecurityGroup", SecurityGroup),
        };
        if (!IsConfigured)
        {
            foreach (var (key, value) in others.Where(o => !string.IsNullOrWhiteSpace(o.Value)))
                yield return $"{Section}:{key} is set but {Section}:Authority is empty: set Authority to the provider's issuer URL " +
                    "(e.g. https://aai.egi.eu/auth/realms/egi), or remove the WebChat:Oidc keys to run without sign-in.";
            yield break;
        }
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            yield return $"{Section}:Authority '{Authority}' is not an absolute https URL: use the provider's issuer, e.g. https://aai.egi.eu/auth/realms/egi.";
        else if (authority.Scheme == "http" && !IsLoopback(authority))
            yield return $"{Section}:Authority '{Authority}' uses http: sign-in must use https (plain http can be read and forged on the way); " +
                "only a provider on this machine (localhost, 127.0.0.1, [::1]) may use http.";
        if (string.IsNullOrWhiteSpace(ClientId))
            yield return $"{Section}:ClientId is required with {Section}:Authority: the client id the provider registered for the bot.";
        var hasGroup = !string.IsNullOrWhiteSpace(CoordinatorGroup) || !string.IsNullOrWhiteSpace(SecurityGroup);
        if (hasGroup && string.IsNullOrWhiteSpace(RolesClaim))
            yield return $"{Section}:CoordinatorGroup and SecurityGroup need {Section}:RolesClaim, the claim that lists a person's groups " +
                "(e.g. groups, or eduperson_entitlement for EGI Check-in).";
        if (!hasGroup && !string.IsNullOrWhiteSpace(RolesClaim))
            yield return $"{Section}:RolesClaim is set but neither {Section}:CoordinatorGroup nor {Section}:SecurityGroup: " +
                "name the group that gives each role, or remove RolesClaim.";
        foreach (var scope in Scopes.Where(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
            yield return $"{Section}:Scopes has '{scope}': each entry is one scope, without spaces.";
        if (!directLineOn)
            yield return $"{Section} is set but the local Direct Line and its Web Chat page are off: set DirectLine:Enabled=true " +
                "(it is off by default when MicrosoftAppId is set), or remove the WebChat:Oidc keys.";
    }

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}

/// <summary>Stops the bot at start-up with every problem of the sign-in settings, each naming its key.</summary>
public sealed class WebChatSignInValidator(IOptions<DirectLineOptions> directLine, IOptions<BotAuthOptions> auth) : IValidateOptions<WebChatSignInOptions>
{
    public ValidateOptionsResult Validate(string? name, WebChatSignInOptions options)
    {
        var problems = options.Problems(directLine.Value.IsEnabled(auth.Value)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
