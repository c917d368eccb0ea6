using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Rollout.Bot.Operations;

/// <summary>What an operator watches: /healthz (alive), /readyz (ready to take traffic), Prometheus text at /metrics.</summary>
public static class OperationsSetup
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetValue<bool>("Operations:JsonLogs"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.UseUtcTimestamp = true);
        }
        services.AddSingleton<BotMeters>();
        services.AddSingleton<StateGauges>();
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: ["ready"])
            .AddCheck<SchedulerCheck>("scheduler", tags: ["ready"])
            .AddCheck<OutboxCheck>("outbox", tags: ["ready"]);
        // Only this host's meters (its IMeterFactory: MeterScope.Local): a second host in the process, as in the tests,
        // must not add its counts to ours.
        services.AddMetrics(m => m.EnableMetrics(BotMeters.MeterName, instrumentName: null, listenerName: "OpenTelemetry", scopes: MeterScope.Local));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        // The gauges register their callbacks when first built.
        _ = app.Services.GetRequiredService<StateGauges>();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync });
        app.MapPrometheusScrapingEndpoint(app.Configuration["Operations:MetricsPath"] is { Length: > 0 } path ? path : "/metrics");
        return app;
    }

    /// <summary>Status and one entry per check, so a failing probe says which part failed and why.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
