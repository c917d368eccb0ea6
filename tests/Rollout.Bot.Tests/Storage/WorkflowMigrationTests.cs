using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Storage;

/// <summary>
/// Migration 0035 on a database from before it: releases already closed to production were announced with their
/// staged-rollout repository, so that is kept as where they went, and none of them waits for a repository manager.
/// </summary>
public abstract class WorkflowMigrationTests(PostgresServer? postgres)
{
    [Fact]
    public async Task Upgrade_KeepsEarlierProductionReleasesAsAnnounced_AndNothingWaitsForTheRepositoryManagers()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = new Dictionary<string, string?> { ["Roles:Coordinators:0"] = EngineTests.Coordinator };
        DbContextOptions<RolloutDb> options;
        if (postgres is null)
            options = new DbContextOptionsBuilder<RolloutDb>().UseSqlite($"Data Source={Path.Combine(folder, "rollout.db")};Pooling=False").Options;
        else
        {
            var connection = await postgres.CreateDatabaseAsync();
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = connection;
            options = new DbContextOptionsBuilder<RolloutDb>().UseNpgsql(connection).Options;
        }
        await using (var old = new RolloutDb(options))
        {
            await SchemaMigrator.MigrateAsync(old, "0035", default);
            // Today's model writes the new column, so it exists only while seeding.
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE tickets ADD COLUMN production_repository_url TEXT NULL");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE tickets ADD COLUMN update_category TEXT NULL");
            old.Tickets.AddRange(Old(TicketState.Closed, Outcome.Success), Old(TicketState.Closed, Outcome.Reject), Old(TicketState.RollingOut, null));
            await old.SaveChangesAsync();
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE tickets DROP COLUMN production_repository_url");
            await old.Database.ExecuteSqlRawAsync("ALTER TABLE tickets DROP COLUMN update_category");
        }

        using var app = new BotApp(settings, folder);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var kept = await db.Tickets.AsNoTracking().OrderBy(t => t.Id).Select(t => t.ProductionRepositoryUrl).ToListAsync();
        Assert.Equal(["https://repo.example.org/sr/old", null, null], kept);
        Assert.DoesNotContain("Waiting for the repository managers", await app.SayAsync("/deadlines", EngineTests.Coordinator, "Cora", "conv-coord"));
    }

    private static Ticket Old(TicketState state, Outcome? outcome) => new()
    {
        Component = "cream", Version = "1.0", Stack = "glite", Type = ReleaseType.Minor, ProviderId = "u-prov", ProviderName = "Prov",
        RepositoryUrl = "https://repo.example.org/sr/old", State = state, Outcome = outcome,
        CreatedAt = DateTimeOffset.UtcNow.AddDays(-30), UpdatedAt = DateTimeOffset.UtcNow.AddDays(-20), RowVersion = 1,
    };
}

public sealed class WorkflowMigrationTestsOnSqlite() : WorkflowMigrationTests(null);

[Collection(PostgresCollection.Name)]
public sealed class WorkflowMigrationTestsOnPostgres(PostgresServer postgres) : WorkflowMigrationTests(postgres);
