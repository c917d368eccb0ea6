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

    private readonly RSA _channelRsa = RSA.Create(2048);
    private readonly RSA _emulatorRsa = RSA.Create(2048);

    public TestIdentity(params string[] endorsements)
    {
        var documents = new Dictionary<string, string>
        {
            [ChannelMetadataUrl] = Metadata(ChannelAuthenticator.ChannelIssuer, "https://login.test/channel/keys"),
            ["https://login.test/channel/keys"] = Keys(_channelRsa, ChannelKeyId, endorsements),
            [EmulatorMetadataUrl] = Metadata("https://login.microsoftonline.com/{tenantid}/v2.0", "https://login.test/emulator/keys"),
            ["https://login.test/emulator/keys"] = Keys(_emulatorRsa, EmulatorKeyId, null),
        };
        Handler.Default = request => documents.TryGetValue(request.RequestUri!.ToString(), out var json)
            ? RecordingHandler.Json(HttpStatusCode.OK, json)
            : RecordingHandler.Json(HttpStatusCode.NotFound, null);
    }

    public RecordingHandler Handler { get; } = new();

    public Dictionary<string, string?> Settings(string appId) => new()
    {
        ["MicrosoftAppId"] = appId,
        ["MicrosoftAppPassword"] = "secret",
        ["BotAuth:ChannelOpenIdMetadataUrl"] = ChannelMetadataUrl,
        ["BotAuth:EmulatorOpenIdMetadataUrl"] = EmulatorMetadataUrl,
    };

    /// <summary>A channel token; every argument can be spoiled by a test to check that one rule.</summary>
    public string ChannelToken(string audience, string serviceUrl, DateTimeOffset now, TimeSpan? expiresIn = null,
        string issuer = ChannelAuthenticator.ChannelIssuer, RSA? signWith = null)
    {
        var claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl };
        return Mint(issuer, audience, claims, now, expiresIn ?? TimeSpan.FromHours(1), signWith ?? _channelRsa, ChannelKeyId);
    }

    /// <summary>An AAD v2.0 token as the Emulator sends it: the bot's app id in <c>azp</c>.</summary>
    public string EmulatorToken(string appId, DateTimeOffset now) =>
        Mint(EmulatorIssuer, appId, new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = appId }, now,
            TimeSpan.FromHours(1), _emulatorRsa, EmulatorKeyId);

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

    private static string Keys(RSA rsa, string kid, string[]? endorsements)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var key = new Dictionary<string, object>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        if (endorsements is { Length: > 0 }) key["endorsements"] = endorsements;
        return JsonSerializer.Serialize(new { keys = new[] { key } });
    }

    public void Dispose()
    {
        _channelRsa.Dispose();
        _emulatorRsa.Dispose();
    }
}
