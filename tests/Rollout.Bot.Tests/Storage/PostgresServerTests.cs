using Npgsql;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task EachTestDatabase_IsSeparateAndEmpty()
    {
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();

        Assert.NotEqual(new NpgsqlConnectionStringBuilder(first).Database, new NpgsqlConnectionStringBuilder(second).Database);
        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
