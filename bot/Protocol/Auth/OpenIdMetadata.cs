using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Rollout.Bot.Protocol.Auth;

public enum TokenSource { Channel, Emulator }

/// <summary>
/// The OpenID metadata and signing keys of both token issuers, fetched on first use and cached for a day (Bot
/// Builder JS does the same). A token naming a key we have not seen triggers a refresh at once, at most every
/// 5 minutes, so a key rotation costs no rejected activity. Not ConfigurationManager: after its first load it
/// refreshes in the background, so the request that brings a new key would be refused.
/// </summary>
public sealed class OpenIdMetadata(IOptions<BotAuthEndpoints> endpoints, IHttpClientFactory http, TimeProvider clock, ILogger<OpenIdMetadata> logger)
{
    internal const string HttpClientName = "BotAuth.Metadata";
    internal static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    internal static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly Source _channel = new(endpoints.Value.ChannelOpenIdMetadataUrl);
    private readonly Source _emulator = new(endpoints.Value.EmulatorOpenIdMetadataUrl);
    private readonly FactoryDocumentRetriever _retriever = new(http);

    /// <summary>The signing key with this id, or null if the issuer does not publish it.</summary>
    public async Task<JsonWebKey?> FindKeyAsync(TokenSource which, string? kid, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(kid)) return null;
        var source = which == TokenSource.Channel ? _channel : _emulator;
        if (source.Current is { } cached && !IsStale(cached) && Find(cached, kid) is { } key) return key;

        await source.Gate.WaitAsync(ct);
        try
        {
            var current = source.Current;
            if (current is not null && !IsStale(current) && Find(current, kid) is { } fetchedMeanwhile) return fetchedMeanwhile;
            var now = clock.GetUtcNow();
            if (current is null)
            {
                current = source.Current = await FetchAsync(source.Url, null, ct);
            }
            else if (now - source.LastRefresh >= MinRefreshInterval)
            {
                // Only refreshes count towards the limit: a token with a made-up kid must not make us hammer the issuer.
                source.LastRefresh = now;
                current = source.Current = await FetchAsync(source.Url, current, ct);
            }
            return Find(current, kid);
        }
        finally
        {
            source.Gate.Release();
        }
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

    private async Task<Fetched> FetchAsync(string url, Fetched? previous, CancellationToken ct)
    {
        try
        {
            var config = await OpenIdConnectConfigurationRetriever.GetAsync(url, _retriever, ct);
            logger.LogInformation("Loaded {Count} signing keys from {Url}", config.JsonWebKeySet?.Keys.Count ?? 0, url);
            return new Fetched(config, clock.GetUtcNow());
        }
        catch (Exception ex) when (previous is not null && ex is not OperationCanceledException)
        {
            // An identity endpoint hiccup should not lock every channel out: keep the keys we have.
            logger.LogWarning(ex, "Could not refresh {Url}; keeping the keys loaded at {FetchedAt}", url, previous.At);
            return previous;
        }
    }

    private bool IsStale(Fetched fetched) => clock.GetUtcNow() - fetched.At >= MaxAge;

    private static JsonWebKey? Find(Fetched fetched, string kid) =>
        fetched.Config.JsonWebKeySet?.Keys.FirstOrDefault(k => string.Equals(k.Kid, kid, StringComparison.Ordinal));

    private sealed record Fetched(OpenIdConnectConfiguration Config, DateTimeOffset At);

    private sealed class Source(string url)
    {
        public string Url { get; } = url;
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public Fetched? Current { get; set; }
        public DateTimeOffset LastRefresh { get; set; } = DateTimeOffset.MinValue;
    }

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
