using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Hardening;

/// <summary>Instances starting together on an empty PostgreSQL database all migrate, once (issue 12 item 15).</summary>
[Collection(PostgresCollection.Name)]
public sealed class ParallelMigrationTests(PostgresServer postgres)
{
    [Fact]
    public async Task SixInstancesMigratingAnEmptyDatabaseAtOnce_AllSucceed_AndEachScriptIsAppliedOnce()
    {
        for (var round = 0; round < 8; round++)
        {
            var connection = await postgres.CreateDatabaseAsync();
            var options = new DbContextOptionsBuilder<RolloutDb>().UseNpgsql(connection).Options;
            using var start = new Barrier(6);

            await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                await using var db = new RolloutDb(options);
                start.SignalAndWait();
                await SchemaMigrator.MigrateAsync(db);
            })));

            await using var check = new RolloutDb(options);
            var applied = await check.Database.SqlQueryRaw<string>("SELECT id AS \"Value\" FROM schema_migrations").ToListAsync();
            Assert.Equal(SchemaMigrator.Scripts("postgres").Select(s => s.Id).Order(StringComparer.Ordinal), applied.Order(StringComparer.Ordinal));
            Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(connection));
        }
    }
}
