using System.Diagnostics;
using Npgsql;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Operations;

/// <summary>The PostgreSQL backup route the README documents: pg_dump -Fc while the bot runs, pg_restore into a new database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDumpTests(PostgresServer postgres)
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    [Fact]
    public async Task PgDump_OfARunningBot_RestoresIntoANewDatabaseWithTheSameRegistry()
    {
        var source = await postgres.CreateDatabaseAsync();
        var config = new[] { "--Storage:Provider=Postgres", $"--Storage:ConnectionString={source}" };
        var data = OperatorRun.NewDataFolder();
        Assert.Equal(0, (await OperatorRun.RunAsync(data, ["import", "sites", OperatorRun.Fixture("ms402-sites.csv"), .. config])).ExitCode);
        using var bot = new BotApp(new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = source });
        _ = bot.Services; // running while the dump is taken

        var dump = Path.Combine(Path.GetTempPath(), $"rollout-{Guid.NewGuid():N}.dump");
        Run("pg_dump", "-Fc", "-f", dump, Uri(source));
        var target = await postgres.CreateDatabaseAsync();
        Run("pg_restore", "--no-owner", "-d", Uri(target), dump);
        File.Delete(dump);

        Assert.Equal(await CountAsync(source, "sites"), await CountAsync(target, "sites"));
        Assert.Equal(23, await CountAsync(target, "sites"));
        Assert.Equal(await CountAsync(source, "registry_changes"), await CountAsync(target, "registry_changes"));
        // The bot's verbs say where to go instead of pretending to copy a server.
        var refused = await OperatorRun.RunAsync(data, ["backup", dump, .. config]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("pg_dump", refused.Error);
        if (Directory.Exists(data)) Directory.Delete(data, recursive: true);
    }

    private static string Uri(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
    }

    private static async Task<long> CountAsync(string connectionString, string table)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM {table}", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static void Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Bin, tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), $"{tool} did not finish");
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
    }
}
