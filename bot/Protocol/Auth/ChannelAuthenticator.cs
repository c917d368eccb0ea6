using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.Auth;

public sealed record AuthResult(bool Succeeded, string? Failure)
{
    public static readonly AuthResult Anonymous = new(true, null);
    public static readonly AuthResult Authenticated = new(true, null);
    public static AuthResult Fail(string why) => new(false, why);
}

/// <summary>
/// Checks the channel's bearer token on an inbound activity the way Bot Builder does (PROTOCOL.md §3): the issuer
/// picks the metadata, the key comes by kid, then signature, lifetime, audience or app id, endorsements and the
/// serviceurl claim. Without an app id the bot runs in local mode and accepts everything.
/// </summary>
public sealed class ChannelAuthenticator(IOptions<BotAuthOptions> options, IOptions<BotAuthEndpoints> endpoints, OpenIdMetadata metadata, TimeProvider clock)
{
    public const string ChannelIssuer = "https://api.botframework.com";

    /// <summary>The audience of tokens for calling the Connector (the bot's own outbound token): never one to let in.</summary>
    public const string ConnectorAudience = "https://api.botframework.com";

    /// <summary>The tenants that issue the Emulator's tokens (Bot Builder's ToBotFromEmulator issuers).</summary>
    private static readonly string[] EmulatorTenants = ["d6d49420-f39b-4df7-a1dc-d59a935871db", "f8cdef31-a31e-4b4a-93e4-5f571e91255a"];

    private static readonly string[] Algorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly JsonWebTokenHandler _handler = new();

    public bool Enabled => options.Value.AuthEnabled;

    public async Task<AuthResult> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken ct)
    {
        if (!Enabled) return AuthResult.Anonymous;
        var raw = BearerToken(authorizationHeader);
        if (raw is null) return AuthResult.Fail("the Authorization header is not 'Bearer <token>'");
        JsonWebToken token;
        try
        {
            token = _handler.ReadJsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return AuthResult.Fail("the bearer token is not a JWT");
        }

        TokenSource source;
        if (token.Issuer == ChannelIssuer) source = TokenSource.Channel;
        else if (EmulatorIssuers().Contains(token.Issuer)) source = TokenSource.Emulator;
        else return AuthResult.Fail($"issuer '{token.Issuer}' is not a Bot Framework issuer");
        if (source == TokenSource.Emulator && !endpoints.Value.AcceptEmulatorTokens)
            return AuthResult.Fail("Emulator-issued tokens are not accepted (BotAuth:AcceptEmulatorTokens is off)");
        if (token.Audiences.Any(a => a.TrimEnd('/').Equals(ConnectorAudience, StringComparison.OrdinalIgnoreCase)))
            return AuthResult.Fail("the token is for calling the Connector (audience https://api.botframework.com), not for calling the bot");

        JsonWebKey? key;
        try
        {
            key = await metadata.FindKeyAsync(source, token.Kid, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return AuthResult.Fail($"the {source} signing keys could not be loaded: {ex.Message}");
        }
        if (key is null) return AuthResult.Fail($"signing key '{token.Kid}' is not among the {source} keys");

        // Before the library reads the times: an exp or nbf past what a DateTime holds throws inside it.
        if (LifetimeProblem(token) is { } lifetime) return AuthResult.Fail(lifetime);

        var result = await _handler.ValidateTokenAsync(raw, Parameters(source, key));
        if (!result.IsValid) return AuthResult.Fail($"the token was rejected: {result.Exception?.Message}");

        var endorsements = OpenIdMetadata.Endorsements(key);
        if (endorsements is not null && !endorsements.Contains(activity.ChannelId!, StringComparer.Ordinal))
            return AuthResult.Fail($"signing key '{token.Kid}' is not endorsed for channel '{activity.ChannelId}'");

        if (source == TokenSource.Emulator && EmulatorAppId(token) != options.Value.MicrosoftAppId)
            return AuthResult.Fail("the Emulator token was issued to another app id");

        // Channel tokens always name the serviceUrl they were issued for; a token replayed with another serviceUrl
        // would make the bot send its own token there.
        var serviceUrl = token.TryGetClaim("serviceurl", out var claim) ? claim.Value : null;
        if (source == TokenSource.Channel && serviceUrl is null)
            return AuthResult.Fail("the token has no serviceurl claim");
        if (serviceUrl is not null && !string.Equals(serviceUrl, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            return AuthResult.Fail($"the token's serviceurl '{serviceUrl}' differs from the activity's '{activity.ServiceUrl}'");

        return AuthResult.Authenticated;
    }

    private static string? BearerToken(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var parts = header.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? parts[1].Trim() : null;
    }

    private HashSet<string> EmulatorIssuers()
    {
        var tenants = EmulatorTenants.ToList();
        if (options.Value.MicrosoftAppTenantId is { Length: > 0 } own) tenants.Add(own);
        return tenants.SelectMany(t => new[] { $"https://sts.windows.net/{t}/", $"https://login.microsoftonline.com/{t}/v2.0" })
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>AAD v1 tokens name the calling app in <c>appid</c>, v2 tokens in <c>azp</c>.</summary>
    private static string? EmulatorAppId(JsonWebToken token)
    {
        var version = token.TryGetClaim("ver", out var ver) ? ver.Value : null;
        var name = version switch { "1.0" => "appid", "2.0" => "azp", _ => null };
        return name is not null && token.TryGetClaim(name, out var appId) ? appId.Value : null;
    }

    private TokenValidationParameters Parameters(TokenSource source, SecurityKey key) => new()
    {
        ValidateIssuer = true,
        ValidIssuers = source == TokenSource.Channel ? [ChannelIssuer] : EmulatorIssuers(),
        // Channel tokens carry the bot's app id as audience; Emulator tokens are matched on appid/azp instead,
        // as Bot Builder does, because their audience format differs between AAD token versions.
        ValidateAudience = source == TokenSource.Channel,
        ValidAudience = options.Value.MicrosoftAppId,
        IssuerSigningKey = key,
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = Algorithms,
        RequireSignedTokens = true,
        // Lifetime is checked in LifetimeProblem against the injected clock, which the library cannot be given.
        ValidateLifetime = false,
    };

    /// <summary>Works in Unix seconds, so an expiry in the year 3 million is refused, not thrown on.</summary>
    private string? LifetimeProblem(JsonWebToken token)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)ClockSkew.TotalSeconds;
        if (!TryTime(token, "exp", out var exp)) return "the token has no expiry";
        if (exp > now + MaxLifetimeSeconds) return $"the token's expiry ({exp}) is more than a day away: no channel issues such a token";
        if (now > exp + skew) return $"the token expired at {DateTimeOffset.FromUnixTimeSeconds(exp):O}";
        if (token.TryGetPayloadValue<object>("nbf", out _))
        {
            if (!TryTime(token, "nbf", out var nbf) || nbf > now + MaxLifetimeSeconds) return "the token's nbf is not a usable time";
            if (now < nbf - skew) return $"the token is not valid before {DateTimeOffset.FromUnixTimeSeconds(nbf):O}";
        }
        return null;
    }

    /// <summary>Channel and AAD tokens live about an hour; a day leaves room and keeps every time representable.</summary>
    private const long MaxLifetimeSeconds = 86_400;

    private static bool TryTime(JsonWebToken token, string claim, out long seconds)
    {
        seconds = 0;
        try
        {
            if (!token.TryGetPayloadValue<long>(claim, out seconds)) return false;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException or ArgumentException)
        {
            return false;
        }
        return seconds > 0 && seconds < 253_402_300_799; // 9999-12-31T23:59:59Z
    }
}
