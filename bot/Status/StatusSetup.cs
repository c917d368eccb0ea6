using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Status;

/// <summary>The public read-only side: the status page, bulletin archive, charts, Atom feed and iCalendar file.</summary>
public static class StatusSetup
{
    public static IServiceCollection AddStatus(this IServiceCollection services)
    {
        services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StatusData>();
        services.TryAddSingleton<Hosting.Contributions<StatusSection>>();
        services.TryAddSingleton<Hosting.Contributions<CalendarSource>>();
        services.TryAddSingleton<Hosting.Contributions<FeedSource>>();
        return services;
    }

    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<IOptions<StatusOptions>>().Value.Enabled ? await next(context) : Results.NotFound());

        group.MapGet("/status", async (StatusData data, CancellationToken ct) =>
            Results.Content(StatusPage.Render(await data.LoadAsync(ct)), "text/html; charset=utf-8"));

        group.MapGet("/status/charts/{name}.svg", async (string name, StatusData data, CancellationToken ct) =>
        {
            var report = (await data.LoadAsync(ct)).Metrics;
            var svg = name switch
            {
                "releases" => StatusPage.ReleasesChart(report),
                "steps" => StatusPage.StepsChart(report),
                "latency" => StatusPage.LatencyChart(report),
                _ => null,
            };
            return svg is null ? Results.NotFound() : Results.Content(svg, "image/svg+xml; charset=utf-8");
        });

        group.MapGet("/status/bulletins/{id:long}", async (long id, IDbContextFactory<RolloutDb> dbs, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var post = await db.BulletinPosts.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
            if (post is null) return Results.NotFound();
            var restricted = await PublicText.RestrictedAmongAsync(db, [post.Text], ct);
            return Results.Content(StatusPage.Bulletin(post.Meeting, post.MeetingAt, PublicText.Scrub(post.Text, restricted)), "text/html; charset=utf-8");
        });

        group.MapGet("/feed.atom", async (HttpContext http, IDbContextFactory<RolloutDb> dbs, IOptions<StatusOptions> options, TimeProvider clock,
            Hosting.Contributions<FeedSource> sources, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var entries = await AtomFeed.LoadAsync(db, ct);
            var restricted = await PublicText.RestrictedAmongAsync(db, entries.Select(e => e.Summary), ct);
            var more = new List<FeedEntry>();
            foreach (var (_, source) in sources.All) more.AddRange(await source(new FeedContext(db, BaseUrl(http), ct)));
            return Results.Content(AtomFeed.Render(entries, restricted, BaseUrl(http), options.Value.Authority, clock.GetUtcNow(), more),
                "application/atom+xml; charset=utf-8");
        });

        group.MapGet("/calendar.ics", async (HttpContext http, IDbContextFactory<RolloutDb> dbs, WorkingCalendars calendars, Coordination.MeetingCatalog meetings,
            IOptions<StatusOptions> options, TimeProvider clock, Hosting.Contributions<CalendarSource> sources, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var now = clock.GetUtcNow();
            var events = await StatusCalendar.LoadAsync(db, calendars, meetings, options.Value, BaseUrl(http), now, sources.All, ct);
            return Results.Content(ICalendarFile.Render(events, now), "text/calendar; charset=utf-8");
        });
        return app;
    }

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
