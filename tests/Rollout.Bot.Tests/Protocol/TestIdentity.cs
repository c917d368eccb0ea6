using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Rollout.Bot.Protocol.Auth;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>
/// Stands in for login.botframework.com and the AAD metadata: local RSA keys, their JWKS and OpenID documents
/// served by a fake handler, and tokens minted the way the channel and the Emulator mint them.
/// </summary>
public sealed class TestIdentity : IDisposable
{
    public const string ChannelMetadataUrl = "https://login.test/channel/.well-known/openidconfiguration";
    public const string EmulatorMetadataUrl = "https://login.test/emulator/.well-known/openid-configuration";
    public const string EmulatorIssuer = "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0";
    public const string ChannelKeyId = "channel-key";
    public const string EmulatorKeyId = "emulator-key";

    private const string ChannelKeysUrl = "https://login.test/channel/keys";
    private readonly RSA _channelRsa = RSA.Create(2048);
    private readonly RSA _emulatorRsa = RSA.Create(2048);
    private readonly List<(RSA Rsa, string Kid)> _channelKeys = [];
    private readonly Dictionary<string, string> _documents;
    private readonly string[] _endorsements;

    public TestIdentity(params string[] endorsements)
    {
        _endorsements = endorsements;
        _channelKeys.Add((_channelRsa, ChannelKeyId));
        _documents = new Dictionary<string, string>
        {
            [ChannelMetadataUrl] = Metadata(ChannelAuthenticator.ChannelIssuer, ChannelKeysUrl),
            [ChannelKeysUrl] = Keys(_channelKeys, endorsements),
            [EmulatorMetadataUrl] = Metadata("https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.test/emulator/keys"),
            ["https://login.test/emulator/keys"] = Keys([(_emulatorRsa, EmulatorKeyId)], null),
        };
        Handler.Default = request =>
        {
            lock (_documents)
            {
                return _documents.TryGetValue(request.RequestUri!.ToString(), out var json)
                    ? RecordingHandler.Json(HttpStatusCode.OK, json)
                    : RecordingHandler.Json(HttpStatusCode.NotFound, null);
            }
        };
    }

    /// <summary>Publishes another channel key, as login.botframework.com does when it rotates keys.</summary>
    public void PublishChannelKey(RSA rsa, string kid)
    {
        lock (_documents)
        {
            _channelKeys.Add((rsa, kid));
            _documents[ChannelKeysUrl] = Keys(_channelKeys, _endorsements);
        }
    }

    public int KeyFetches => Handler.Requests.Count(r => r.Uri.ToString() == ChannelKeysUrl);

    public RecordingHandler Handler { get; } = new();

    public Dictionary<string, string?> Settings(string appId) => new()
    {
        ["MicrosoftAppId"] = appId,
        ["MicrosoftAppPassword"] = "secret",
        ["BotAuth:ChannelOpenIdMetadataUrl"] = ChannelMetadataUrl,
        ["BotAuth:EmulatorOpenIdMetadataUrl"] = EmulatorMetadataUrl,
        // Off by default in the bot; these tests check the Emulator path itself (HardeningIdentityTests check the default).
        ["BotAuth:AcceptEmulatorTokens"] = "true",
    };

    /// <summary>A channel token; every argument can be spoiled by a test to check that one rule.</summary>
    public string ChannelToken(string audience, string serviceUrl, DateTimeOffset now, TimeSpan? expiresIn = null,
        string issuer = ChannelAuthenticator.ChannelIssuer, RSA? signWith = null, string kid = ChannelKeyId)
    {
        var claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl };
        return Mint(issuer, audience, claims, now, expiresIn ?? TimeSpan.FromHours(1), signWith ?? _channelRsa, kid);
    }

    /// <summary>A channel token with <c>exp</c> written as given (past what a DateTime holds, for one).</summary>
    public string ChannelTokenWithRawTimes(string audience, string serviceUrl, long exp) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ChannelAuthenticator.ChannelIssuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl, ["exp"] = exp },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_channelRsa) { KeyId = ChannelKeyId }, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>An AAD v2.0 token as the Emulator sends it: the bot's app id in <c>azp</c>.</summary>
    public string EmulatorToken(string appId, DateTimeOffset now) =>
        Mint(EmulatorIssuer, appId, new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = appId }, now,
            TimeSpan.FromHours(1), _emulatorRsa, EmulatorKeyId);

    /// <summary>
    /// The bot's own outbound token as Entra issues it for the Connector: v1.0, <c>appid</c> the bot's, audience the
    /// Connector's scope. Replayed to /api/messages it must be refused.
    /// </summary>
    public string ConnectorScopedToken(string appId, DateTimeOffset now) =>
        Mint("https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", "https://api.botframework.com",
            new Dictionary<string, object> { ["ver"] = "1.0", ["appid"] = appId }, now, TimeSpan.FromHours(1), _emulatorRsa, EmulatorKeyId);

    private static string Mint(string issuer, string audience, Dictionary<string, object> claims, DateTimeOffset now,
        TimeSpan lifetime, RSA rsa, string kid) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
        });

    private static string Metadata(string issuer, string jwksUri) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = issuer,
        ["jwks_uri"] = jwksUri,
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
    });

    private static string Keys(IEnumerable<(RSA Rsa, string Kid)> keys, string[]? endorsements) =>
        JsonSerializer.Serialize(new { keys = keys.Select(k => Jwk(k.Rsa, k.Kid, endorsements)).ToList() });

    private static Dictionary<string, object> Jwk(RSA rsa, string kid, string[]? endorsements)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var key = new Dictionary<string, object>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        if (endorsements is { Length: > 0 }) key["endorsements"] = endorsements;
        return key;
    }

    public void Dispose()
    {
        _channelRsa.Dispose();
        _emulatorRsa.Dispose();
    }
}
