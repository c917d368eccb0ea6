using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Metrics;

/// <summary><c>/metrics</c> in chat (anyone) and <c>GET /api/metrics</c> (JSON, or CSV with format=csv or Accept: text/csv).</summary>
public static class MetricsEndpoints
{
    public static readonly IReadOnlyList<string> Usage = ["/metrics [from=YYYY-MM-DD] [to=YYYY-MM-DD] [stack=…]"];

    public static CommandDefinition Command(MetricsService metrics, RolloutOptions options) => new(
        "metrics", "Everyone", Usage, "site and release metrics for a period (default: the last 365 days)", Writes: false, async s =>
        {
            var command = s.Command;
            if (TicketCommand.UnknownKeys(command, Usage, "from", "to", "stack") is { } unknown) return unknown;
            if (command.Positionals.Count > 0) return Reply.No($"I don't understand '{command.Positionals[0]}'. {TicketCommand.Usage(Usage)}");
            var (period, error) = MetricsPeriod.Parse(command.Get("from"), command.Get("to"), command.Get("stack"), s.Now,
                options.FindStack, options.StackList);
            if (error is not null) return Reply.No($"{error} {TicketCommand.Usage(Usage)}");
            var report = await metrics.BuildAsync(period!, MetricsService.For(s.Caller), s.Ct);
            return MetricsText.Chat(report);
        });

    public static IServiceCollection AddRolloutMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MetricsService>();
        services.AddCommand(sp => Command(sp.Get<MetricsService>(), sp.Options<RolloutOptions>()));
        return services;
    }

    public static IEndpointRouteBuilder MapRolloutMetrics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/metrics", async (HttpContext http, MetricsService metrics, IOptions<RolloutOptions> options, TimeProvider clock,
            string? from, string? to, string? stack, string? format) =>
        {
            var (period, error) = MetricsPeriod.Parse(from, to, stack, clock.GetUtcNow(), options.Value.FindStack, options.Value.StackList);
            if (error is not null) return Results.Problem(title: "Bad metrics query", detail: error, statusCode: StatusCodes.Status400BadRequest);
            if (format is not null && format is not ("csv" or "json"))
                return Results.Problem(title: "Bad metrics query", detail: $"format={format} is not known: use format=json or format=csv.", statusCode: 400);
            var report = await metrics.BuildAsync(period!, MetricsService.Public, http.RequestAborted);
            var csv = format == "csv" || (format is null && http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
            return csv
                ? Results.Text(MetricsText.Csv(report), "text/csv; charset=utf-8")
                : Results.Json(report);
        });
        return app;
    }
}
