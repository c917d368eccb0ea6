using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>The start-up log says plainly whether tokens are checked, so a bot left in local mode gets noticed.</summary>
public sealed class AuthModeAnnouncerTests
{
    [Fact]
    public void WithoutAppId_StartupLogSaysTheBotRunsWithoutAuthentication()
    {
        using var app = new BotApp();

        var lines = StartAndCollectLogs(app);

        Assert.Contains(lines, l => l.Level == LogLevel.Warning && l.Message.Contains("WITHOUT authentication (local mode)"));
    }

    [Fact]
    public void WithAppId_StartupLogSaysAuthenticationIsOn()
    {
        using var app = new BotApp(new() { ["MicrosoftAppId"] = "app-1", ["MicrosoftAppPassword"] = "secret" });

        var lines = StartAndCollectLogs(app);

        Assert.Contains(lines, l => l.Message.Contains("Bot authentication is ON for app id app-1"));
        Assert.DoesNotContain(lines, l => l.Message.Contains("WITHOUT authentication"));
    }

    private static IReadOnlyCollection<(LogLevel Level, string Message)> StartAndCollectLogs(BotApp app)
    {
        var sink = new Sink();
        using var started = app.WithWebHostBuilder(web => web.ConfigureServices(s => s.AddLogging(l => l.AddProvider(sink))));
        _ = started.Services; // starts the host, hosted services included
        return sink.Lines;
    }

    private sealed class Sink : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<(LogLevel, string)> _lines = new();
        public IReadOnlyCollection<(LogLevel Level, string Message)> Lines => _lines.ToList();
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue((logLevel, formatter(state, exception)));
        public void Dispose() { }
    }
}
