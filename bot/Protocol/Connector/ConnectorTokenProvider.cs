using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;

namespace Rollout.Bot.Protocol.Connector;

/// <summary>
/// The bot's own bearer token for Connector calls (OAuth client credentials), cached and renewed 5 minutes before
/// it expires like Bot Builder's AppCredentials. One fetch at a time: a burst of replies shares one token request.
/// </summary>
public sealed class ConnectorTokenProvider(
    IOptions<BotAuthOptions> options, IOptions<BotAuthEndpoints> endpoints, IHttpClientFactory http, TimeProvider clock,
    ILogger<ConnectorTokenProvider> logger)
{
    internal const string HttpClientName = "BotAuth.Token";
    internal const string Scope = "https://api.botframework.com/.default";
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CachedToken? _token;

    public async Task<string> GetTokenAsync(CancellationToken ct)
    {
        if (Fresh(_token) is { } cached) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh(_token) is { } fetchedMeanwhile) return fetchedMeanwhile;
            _token = await FetchAsync(ct);
            return _token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    private string? Fresh(CachedToken? token) =>
        token is not null && clock.GetUtcNow() < token.ExpiresAt - RenewBefore ? token.Value : null;

    private async Task<CachedToken> FetchAsync(CancellationToken ct)
    {
        var auth = options.Value;
        var url = $"{endpoints.Value.TokenEndpointBase.TrimEnd('/')}/{Uri.EscapeDataString(auth.TokenTenant)}/oauth2/v2.0/token";
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = auth.MicrosoftAppId!,
            ["client_secret"] = auth.MicrosoftAppPassword ?? "",
            ["scope"] = Scope,
        });
        using var response = await http.CreateClient(HttpClientName).PostAsync(url, form, ct);
        var body = await ReadAsync(response, ct);
        if (!response.IsSuccessStatusCode || body?.AccessToken is not { Length: > 0 } accessToken)
        {
            // AAD explains itself in error/error_description (e.g. AADSTS700016 for a wrong tenant); pass it on.
            var why = body?.ErrorDescription ?? body?.Error ?? response.ReasonPhrase;
            logger.LogError("The token endpoint {Url} refused app {AppId}: {Status} {Why}", url, auth.MicrosoftAppId, (int)response.StatusCode, why);
            throw new ConnectorException((int)response.StatusCode, body?.Error,
                $"Could not get a Bot Framework token for app {auth.MicrosoftAppId} from {url}: {(int)response.StatusCode} {why}");
        }
        var lifetime = TimeSpan.FromSeconds(body.ExpiresIn is > 0 ? body.ExpiresIn.Value : 3600);
        logger.LogInformation("Got a Bot Framework token for app {AppId}, valid for {Lifetime}", auth.MicrosoftAppId, lifetime);
        return new CachedToken(accessToken, clock.GetUtcNow() + lifetime);
    }

    private static async Task<TokenResponse?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TokenResponse>(ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
