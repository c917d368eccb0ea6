using System.Net;
using Polly;
using Polly.Retry;

namespace Rollout.Bot.Protocol.Connector;

/// <summary>
/// Retries the answers a channel gives when it is busy or briefly down (Teams: 429, 412, 502, 503, 504), with
/// jittered exponential backoff, or exactly as long as <c>Retry-After</c> asks. Other errors are final: retrying
/// a 400 or 403 only repeats it, and retrying a POST that may have landed risks a duplicate message.
/// </summary>
public sealed class ConnectorRetry
{
    internal const int MaxRetries = 4;
    internal static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    /// <summary>A reply held back longer than this is no longer a conversation; longer Retry-After values are cut to it.</summary>
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    private static readonly HashSet<HttpStatusCode> Transient =
    [
        HttpStatusCode.TooManyRequests, HttpStatusCode.PreconditionFailed, HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout,
    ];

    public ConnectorRetry(TimeProvider clock, ILogger<ConnectorRetry> logger)
    {
        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = BaseDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(!SingleAttemptScope.Value && args.Outcome.Result is { } r && IsTransient(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, clock)),
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage;
                    logger.LogWarning("{Method} {Path} answered {Status}; retry {Attempt} of {Max} in {Delay}",
                        request?.Method, request?.RequestUri?.AbsolutePath, (int?)args.Outcome.Result?.StatusCode,
                        args.AttemptNumber + 1, MaxRetries, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    private static readonly AsyncLocal<bool> SingleAttemptScope = new();

    /// <summary>
    /// Connector calls made inside the returned scope are tried once: the outbox retries a refused notice itself, so
    /// that every attempt passes its per-conversation rate limit and a retry keeps the conversation's order.
    /// </summary>
    public static IDisposable SingleAttempt()
    {
        var before = SingleAttemptScope.Value;
        SingleAttemptScope.Value = true;
        return new Restore(before);
    }

    internal static bool Retrying => !SingleAttemptScope.Value;

    private sealed class Restore(bool before) : IDisposable
    {
        public void Dispose() => SingleAttemptScope.Value = before;
    }

    /// <summary>The channel's Retry-After (seconds or an HTTP date), capped; null when it sent none.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage? response, TimeProvider clock) => RetryAfter(response, clock);

    public static bool IsTransient(HttpStatusCode status) => Transient.Contains(status);

    /// <summary>The channel's Retry-After (seconds or an HTTP date), capped; null lets the backoff decide.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock)
    {
        var header = response?.Headers.RetryAfter;
        if (header is null) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - clock.GetUtcNow() : null);
        if (wait is null) return null;
        if (wait < TimeSpan.Zero) return TimeSpan.Zero;
        return wait > MaxDelay ? MaxDelay : wait;
    }
}
