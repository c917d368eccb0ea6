using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Storage;

public abstract class SchemaTests(PostgresServer? postgres) : EngineTests(postgres)
{
    [Fact]
    public async Task AfterMigration_EveryEntityTypeCanBeQueried()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var probe = typeof(SchemaTests).GetMethod(nameof(ProbeAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var entityTypes = db.Model.GetEntityTypes().Select(t => t.ClrType).ToList();

        Assert.NotEmpty(entityTypes);
        foreach (var type in entityTypes)
        {
            // Selecting every mapped column fails on a missing table or column, and reading runs the converters.
            await (Task)probe.MakeGenericMethod(type).Invoke(null, [db])!;
        }
    }

    [Fact]
    public async Task EveryMigrationScript_IsRecordedAsApplied()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var engine = Engine == Engine.Postgres ? "postgres" : "sqlite";
        var expected = SchemaMigrator.Scripts(engine).Select(s => s.Id).ToList();

        var applied = await db.Database.SqlQueryRaw<string>("SELECT id AS \"Value\" FROM schema_migrations").ToListAsync();

        Assert.Equal(expected.Order(StringComparer.Ordinal), applied.Order(StringComparer.Ordinal));
        Assert.Contains(expected, id => id.StartsWith("0003_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrating_AgainOnAMigratedDatabase_ChangesNothing()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();

        await SchemaMigrator.MigrateAsync(db);

        var count = await db.Database.SqlQueryRaw<int>("SELECT CAST(COUNT(*) AS INTEGER) AS \"Value\" FROM schema_migrations").SingleAsync();
        Assert.Equal(SchemaMigrator.Scripts(Engine == Engine.Postgres ? "postgres" : "sqlite").Count, count);
    }

    private static async Task ProbeAsync<T>(RolloutDb db) where T : class => await db.Set<T>().AsNoTracking().Take(1).ToListAsync();
}

public sealed class SchemaTestsOnSqlite() : SchemaTests(null);

[Collection(PostgresCollection.Name)]
public sealed class SchemaTestsOnPostgres(PostgresServer postgres) : SchemaTests(postgres);
