using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Metrics;
using Rollout.Bot.Tickets;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Status;

/// <summary>
/// A bot upgraded from a 0009 database: migration 0010 must fill ticket_step_times from the history, so that metrics
/// give the same report as on a database whose step times the workflow wrote.
/// </summary>
public abstract class StepTimesBackfillTests(PostgresServer? postgres)
{
    private static readonly MetricsPeriod February = new(SeededHistory.At("2026-02-01 00:00"), SeededHistory.At("2026-03-01 00:00"), null);

    /// <summary>Settings for a new database, its data folder, and options to open it before the bot starts.</summary>
    private async Task<(Dictionary<string, string?> Settings, string Folder, DbContextOptions<RolloutDb> Options)> NewDatabaseAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (postgres is null)
            return ([], folder, new DbContextOptionsBuilder<RolloutDb>().UseSqlite($"Data Source={Path.Combine(folder, "rollout.db")};Pooling=False").Options);
        var connection = await postgres.CreateDatabaseAsync();
        return (new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connection }, folder,
            new DbContextOptionsBuilder<RolloutDb>().UseNpgsql(connection).Options);
    }

    private static async Task<MetricsReport> FebruaryAsync(SeededHistory world) =>
        await world.App.Services.GetRequiredService<MetricsService>().BuildAsync(February, MetricsService.Public);

    [Fact]
    public async Task Upgrade_BackfillsStepTimesFromHistory_AndMetricsAreUnchanged()
    {
        var (settings, folder, options) = await NewDatabaseAsync();
        await using (var old = new RolloutDb(options))
        {
            await SchemaMigrator.MigrateAsync(old, "0010", default);
            // The 0009 history had no typed columns; today's model writes them, so they exist only while seeding.
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE ticket_history ADD COLUMN kind TEXT NOT NULL DEFAULT 'note'");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE ticket_history ADD COLUMN payload TEXT NOT NULL DEFAULT '{{}}'");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE tickets ADD COLUMN production_repository_url TEXT NULL");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE sites ADD COLUMN name_key TEXT NOT NULL DEFAULT ''");
            await old.Database.ExecuteSqlRawAsync(postgres is null
                ? "ALTER TABLE sites ADD COLUMN removed_at INTEGER NULL" : "ALTER TABLE sites ADD COLUMN removed_at timestamptz NULL");
            await SeededHistory.SeedAsync(old, stepTimes: false);
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE sites DROP COLUMN name_key");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE sites DROP COLUMN removed_at");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE ticket_history DROP COLUMN kind");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE ticket_history DROP COLUMN payload");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE tickets DROP COLUMN production_repository_url");
        }
        using var upgraded = new SeededHistory(settings, folder); // starting it applies 0010 and 0011
        using var fresh = await SeededHistory.StartAsync(postgres is null ? null
            : new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync() });

        await upgraded.DbAsync(async db =>
        {
            var moves = await db.TicketHistory.AsNoTracking().Where(h => h.What == "state").Select(h => new { h.TicketId, h.To, h.At }).ToListAsync();
            var fromHistory = moves.GroupBy(m => m.TicketId).OrderBy(g => g.Key).Select(g => (g.Key,
                g.Where(m => m.To == "unverified").Select(m => (DateTimeOffset?)m.At).Min(), g.Where(m => m.To == "verified").Select(m => (DateTimeOffset?)m.At).Min(),
                g.Where(m => m.To == "closed").Select(m => (DateTimeOffset?)m.At).Min(), g.Where(m => m.To == "rejected").Select(m => (DateTimeOffset?)m.At).Min())).ToList();
            var kept = (await db.TicketStepTimes.AsNoTracking().OrderBy(s => s.TicketId).ToListAsync())
                .Select(s => (s.TicketId, s.UnverifiedAt, s.VerifiedAt, s.ClosedAt, s.RejectedAt)).ToList();
            Assert.Equal(7, kept.Count);
            Assert.Equal(fromHistory, kept);

            // 0011 typed every old line: each reads back as the change it records, with the same sentence.
            var rows = await db.TicketHistory.AsNoTracking().OrderBy(h => h.Id).ToListAsync();
            Assert.All(rows, h =>
            {
                Assert.NotEqual(Noted.Kind, h.Kind);
                var again = TicketHistory.Of(h.Change, new Actor(h.ByUserId, h.ByName), h.At);
                Assert.Equal((h.What, h.From, h.To, h.Reason), (again.What, again.From, again.To, again.Reason));
            });
        });

        var report = await FebruaryAsync(upgraded);
        Assert.Equal(JsonSerializer.Serialize(await FebruaryAsync(fresh)), JsonSerializer.Serialize(report));
        // The hand-computed answers of MetricsTests, so that two empty reports cannot pass as equal.
        var minor2 = report.Steps.Single(s => s.ReleaseType == "minor" && s.Step == 2);
        Assert.Equal((3, 2, 24.0), (minor2.Completed, minor2.MetTarget, minor2.MedianHours!.Value));
        Assert.Equal(24, report.Sites.Single(s => s.Site == "Beta").MedianAcceptanceHours); // 24 h (#1); the restricted #3 is left out publicly (12.8)
        Assert.Equal((6, 1), (report.Releases, report.RestrictedReleases));
    }
}

public sealed class StepTimesBackfillTestsOnSqlite() : StepTimesBackfillTests(null);

[Collection(PostgresCollection.Name)]
public sealed class StepTimesBackfillTestsOnPostgres(PostgresServer postgres) : StepTimesBackfillTests(postgres);
