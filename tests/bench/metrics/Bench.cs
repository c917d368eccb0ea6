using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Metrics;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Bench.Metrics;

public static class Bench
{
    public static async Task Main(string[] args)
    {
        // Seeds a large history into a fresh SQLite data folder, then times metrics, the status page, the bulletin and the feeds
        // in-process. Usage: dotnet run -c Release --project tests/bench/metrics [-- DATA_FOLDER]
        var folder = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "rollout-bench-metrics"));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;

        await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseContentRoot(BotFolder());
            b.UseSetting("DataFolder", folder);
            b.UseSetting("Scheduling:Enabled", "false");
            b.UseSetting("Metrics:CacheSeconds", "0"); // cold figures: every request reads the database
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        var client = app.CreateClient(); // starts the host: the schema is migrated
        var database = Path.Combine(folder, "rollout.db");

        var seed = Stopwatch.StartNew();
        Seeder.Seed(database, now);
        Console.WriteLine($"Seeded {Seeder.Tickets:N0} tickets, {Count("ticket_history"):N0} history rows, {Count("ticket_participations"):N0} participations, {Count("ticket_step_times"):N0} step-times rows in {seed.Elapsed.TotalSeconds:0.0} s");

        var metrics = app.Services.GetRequiredService<MetricsService>();
        var cached = new MetricsService(app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Rollout.Bot.Storage.RolloutDb>>(),
            app.Services.GetRequiredService<Rollout.Bot.Scheduling.WorkingCalendars>(),
            Microsoft.Extensions.Options.Options.Create(new MetricsOptions { CacheSeconds = 30 }), TimeProvider.System);
        var dbs = app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Rollout.Bot.Storage.RolloutDb>>();
        var anyone = new Caller("u-bench", "Bench", new HashSet<Role>(), new HashSet<long>(), new HashSet<string>());
        var year = new MetricsPeriod(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - 365), new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1), null);
        var all = year with { From = now.AddYears(-4) };
        var poster = app.Services.GetRequiredService<Rollout.Bot.Scheduling.BulletinPoster>();
        Rollout.Bot.Scheduling.MeetingOccurrence meeting;
        await using (var meetingsDb = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Rollout.Bot.Storage.RolloutDb>>().CreateDbContextAsync())
            meeting = (await app.Services.GetRequiredService<Rollout.Bot.Coordination.MeetingCatalog>().AllAsync(meetingsDb))[0].OccurrencesAfter(now).First();
        var cases = new (string Name, Func<Task> Run)[]
        {
            ("/metrics (command path), last 365 days", async () => MetricsText.Chat(await metrics.BuildAsync(year, MetricsService.For(anyone)))),
            ("/metrics (command path), all 3 years", async () => MetricsText.Chat(await metrics.BuildAsync(all, MetricsService.For(anyone)))),
            ("  of which: release rows query (365 days)", async () => { await using var db = await dbs.CreateDbContextAsync(); await MetricsRows.ReleasesAsync(db, year); }),
            ("  of which: participation rows query (365 days)", async () => { await using var db = await dbs.CreateDbContextAsync(); await MetricsRows.ParticipationsAsync(db, year); }),
            ("/metrics with the 30 s row cache warm (365 days)", async () => MetricsText.Chat(await cached.BuildAsync(year, MetricsService.For(anyone)))),
            ("GET /api/metrics (JSON, 365 days)", () => Get("/api/metrics")),
            ("GET /api/metrics?format=csv (365 days)", () => Get("/api/metrics?format=csv")),
            ("GET /status", () => Get("/status")),
            ("weekly bulletin build (Operations meeting, moves of the last 7 days)", async () =>
            {
                await using var db = await dbs.CreateDbContextAsync();
                await poster.BuildAsync(db, meeting, default, DateTimeOffset.UtcNow);
            }),
            ("GET /feed.atom", () => Get("/feed.atom")),
            ("GET /calendar.ics", () => Get("/calendar.ics")),
        };

        // The very first request after a start, before any warm-up: what the first reader of /metrics waits for.
        var first = Stopwatch.StartNew();
        MetricsText.Chat(await metrics.BuildAsync(year, MetricsService.For(anyone)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Very first /metrics (365 days) after the start: {first.Elapsed.TotalMilliseconds:0} ms"));

        Console.WriteLine("First pass (as in earlier runs: each case warmed up once, so the JIT has not settled):");
        await TimeAll();
        Console.WriteLine("Second pass (same process, JIT settled):");
        await TimeAll();

        async Task TimeAll()
        {
            Console.WriteLine("| operation | median ms | max ms (of 5, after 1 warm-up) |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, run) in cases)
            {
                await run();
                var times = new List<double>();
                for (var i = 0; i < 5; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await run();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {times[2]:0} | {times[^1]:0} |"));
            }
        }

        async Task Get(string url)
        {
            var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsStringAsync();
        }

        long Count(string table)
        {
            using var c = new SqliteConnection($"Data Source={database}");
            c.Open();
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table}";
            return (long)command.ExecuteScalar()!;
        }
    }

    /// <summary>The bot's own folder (its appsettings.json), found by walking up to the solution file.</summary>
    private static string BotFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rollout.Bot.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository."), "bot");
    }
}
