using System.Net;
using System.Net.Http.Json;

namespace Rollout.Bot.Tests.Identity;

/// <summary>
/// What a browser does that the sign-in needs: it keeps cookies per host and follows redirects, between the bot (an
/// in-process test server, reached by its public host name) and the provider (a real loopback port).
/// </summary>
public sealed class Browser(HttpMessageHandler bot, string botHost) : IDisposable
{
    private readonly HttpMessageInvoker _bot = new(bot);
    private readonly HttpMessageInvoker _network = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    public CookieContainer Cookies { get; } = new();

    /// <summary>The addresses a page visit went through, first to last.</summary>
    public List<Uri> Visited { get; } = [];

    public Task<HttpResponseMessage> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public Task<HttpResponseMessage> PostJsonAsync(string url, object? body, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        return SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        Visited.Clear();
        for (var hop = 0; hop < 10; hop++)
        {
            var uri = request.RequestUri!;
            Visited.Add(uri);
            var cookies = Cookies.GetCookieHeader(uri);
            if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
            var response = await (uri.Host == botHost ? _bot : _network).SendAsync(request, CancellationToken.None);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set) Cookies.SetCookies(uri, cookie);
            if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.RedirectMethod or HttpStatusCode.MovedPermanently
                or HttpStatusCode.TemporaryRedirect) || response.Headers.Location is null)
                return response;
            request = new HttpRequestMessage(HttpMethod.Get, new Uri(uri, response.Headers.Location));
        }
        throw new InvalidOperationException("More than 10 redirects: " + string.Join(" → ", Visited));
    }

    public void Dispose()
    {
        _bot.Dispose();
        _network.Dispose();
    }
}
