using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Rollout.Bot.Protocol.Auth;

public enum TokenSource { Channel, Emulator }

/// <summary>
/// The OpenID metadata and signing keys of both token issuers, fetched on first use and cached. Keys are re-read
/// daily (Bot Builder JS does the same) and sooner when a token names a key we have not seen, at most every 5 minutes.
/// </summary>
public sealed class OpenIdMetadata
{
    internal const string HttpClientName = "BotAuth.Metadata";

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _channel;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _emulator;

    public OpenIdMetadata(IOptions<BotAuthEndpoints> endpoints, IHttpClientFactory http)
    {
        var retriever = new FactoryDocumentRetriever(http);
        _channel = Create(endpoints.Value.ChannelOpenIdMetadataUrl, retriever);
        _emulator = Create(endpoints.Value.EmulatorOpenIdMetadataUrl, retriever);
    }

    /// <summary>The signing key with this id, refreshing the key set once if it is not known yet; null if it stays unknown.</summary>
    public async Task<JsonWebKey?> FindKeyAsync(TokenSource source, string? kid, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(kid)) return null;
        var manager = source == TokenSource.Channel ? _channel : _emulator;
        var key = Find(await manager.GetConfigurationAsync(ct), kid);
        if (key is not null) return key;
        manager.RequestRefresh();
        return Find(await manager.GetConfigurationAsync(ct), kid);
    }

    /// <summary>
    /// The channel ids a Bot Framework key may sign for (its <c>endorsements</c>), or null when the key carries none.
    /// The JSON reader keeps unknown members either as a JSON element or as a list, depending on the version.
    /// </summary>
    public static IReadOnlyList<string>? Endorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue("endorsements", out var value) || value is null) return null;
        return value switch
        {
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } array =>
                array.EnumerateArray().Select(e => e.ToString()).ToList(),
            string single => [single],
            System.Collections.IEnumerable items => items.Cast<object?>().Select(i => i?.ToString() ?? "").ToList(),
            _ => [value.ToString() ?? ""],
        };
    }

    private static JsonWebKey? Find(OpenIdConnectConfiguration config, string kid) =>
        config.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

    private static ConfigurationManager<OpenIdConnectConfiguration> Create(string url, IDocumentRetriever retriever) =>
        new(url, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(24),
            RefreshInterval = TimeSpan.FromMinutes(5),
        };

    /// <summary>Takes a fresh client from the factory for every fetch, so handler rotation and test handlers apply.</summary>
    private sealed class FactoryDocumentRetriever(IHttpClientFactory http) : IDocumentRetriever
    {
        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            if (!address.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"OpenID metadata must come over HTTPS, not from '{address}'.");
            using var response = await http.CreateClient(HttpClientName).GetAsync(address, cancel);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET {address} answered {(int)response.StatusCode}.");
            return await response.Content.ReadAsStringAsync(cancel);
        }
    }
}
