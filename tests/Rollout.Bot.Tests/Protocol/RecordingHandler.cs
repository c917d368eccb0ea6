using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Rollout.Bot.Tests.Protocol;

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A fake remote end (channel, token endpoint, metadata host): records every request and answers from a script,
/// then with the default answer once the script runs out.
/// </summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public Func<HttpRequestMessage, HttpResponseMessage> Default { get; set; } = _ => Json(HttpStatusCode.OK, """{"id":"act-1"}""");

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public RecordingHandler Then(HttpStatusCode status, string? json = null, Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue(_ =>
        {
            var response = Json(status, json);
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string? json) => new(status)
    {
        Content = json is null ? new ByteArrayContent([]) : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), headers, body));
        var answer = _script.TryDequeue(out var scripted) ? scripted(request) : Default(request);
        answer.RequestMessage = request;
        return answer;
    }
}
