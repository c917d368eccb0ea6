using System.CommandLine;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations;

/// <summary>
/// <c>backup FILE</c>: a consistent copy of the SQLite database taken with SQLite's online backup API, safe while the
/// bot runs (the copy is one read transaction, so it is the database as of one commit). <c>restore FILE</c>: puts such
/// a copy back, refusing while any bot holds the data folder (<see cref="DataFolderLock"/>), after checking the copy
/// and keeping the current database beside it. PostgreSQL is backed up with pg_dump (README, "Backup").
/// </summary>
public static class BackupCommands
{
    public static Command Backup(Func<string[], WebApplication> build, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "where to write the copy (must not exist)" };
        var command = OperatorCli.Verb(new Command("backup", "copy the SQLite database while the bot runs") { file });
        command.SetAction(async (r, ct) =>
        {
            await using var app = build([.. r.UnmatchedTokens]);
            if (SqliteSource(app, error) is not { } source) return 1;
            var target = r.GetValue(file)!;
            if (target.Exists) return OperatorCli.Fail(error, $"{target.FullName} exists: name a new file; a backup never overwrites one.");
            if (!File.Exists(new SqliteConnectionStringBuilder(source).DataSource))
                return OperatorCli.Fail(error, "There is no database yet: start the bot once, then back it up.");
            await CopyAsync(source, Plain(target.FullName), ct);
            await output.WriteLineAsync($"Backup written to {target.FullName}: {await DescribeAsync(Plain(target.FullName), ct)}.");
            return 0;
        });
        return command;
    }

    public static Command Restore(Func<string[], WebApplication> build, TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "a file written by backup" };
        var command = OperatorCli.Verb(new Command("restore", "put a backup back in place of the SQLite database (the bot must be stopped)") { file });
        command.SetAction(async (r, ct) =>
        {
            await using var app = build([.. r.UnmatchedTokens]);
            if (SqliteSource(app, error) is not { } source) return 1;
            var backup = r.GetValue(file)!;
            if (!backup.Exists) return OperatorCli.Fail(error, $"{backup.FullName}: no such file.");
            var dataFolder = app.Services.GetRequiredService<IOptions<DataFolderOptions>>().Value.FullPath;
            using var exclusive = DataFolderLock.TryTakeExclusive(dataFolder);
            if (exclusive is null)
                return OperatorCli.Fail(error, $"A bot is running on {dataFolder} (it holds {DataFolderLock.FileName}): stop it, then restore.");
            if (await CheckAsync(Plain(backup.FullName), ct) is { } problem) return OperatorCli.Fail(error, $"{backup.Name} is not a usable backup: {problem}");

            var current = new SqliteConnectionStringBuilder(source).DataSource;
            if (File.Exists(current))
            {
                var kept = $"{current}.before-restore-{DateTime.UtcNow:yyyyMMddTHHmmssZ}";
                await CopyAsync(source, Plain(kept), ct);
                await output.WriteLineAsync($"The database it replaces is kept as {kept}.");
            }
            await CopyAsync(Plain(backup.FullName), source, ct);
            SqliteConnection.ClearAllPools();
            await output.WriteLineAsync($"Restored {backup.FullName}: {await DescribeAsync(source, ct)}. Start the bot.");
            return 0;
        });
        return command;
    }

    private static string? SqliteSource(WebApplication app, TextWriter error)
    {
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.Provider == StorageProvider.Sqlite)
            return StorageSetup.SqliteConnectionString(storage, app.Services.GetRequiredService<IOptions<DataFolderOptions>>().Value);
        OperatorCli.Fail(error, "The bot stores in PostgreSQL: back it up with pg_dump and restore with pg_restore (README, \"Backup\").");
        return null;
    }

    private static string Plain(string path) => new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

    /// <summary>sqlite3_backup from one database into another, all pages in one step (one consistent snapshot of the source).</summary>
    internal static async Task CopyAsync(string from, string to, CancellationToken ct)
    {
        await using var source = new SqliteConnection(from);
        await using var target = new SqliteConnection(to);
        await source.OpenAsync(ct);
        await target.OpenAsync(ct);
        source.BackupDatabase(target);
    }

    private static async Task<string?> CheckAsync(string connection, CancellationToken ct)
    {
        try
        {
            await using var db = new SqliteConnection(connection + ";Mode=ReadOnly");
            await db.OpenAsync(ct);
            await using var check = db.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync(ct) is not "ok") return "SQLite's integrity check failed";
            check.CommandText = "SELECT COUNT(*) FROM schema_migrations";
            return Convert.ToInt64(await check.ExecuteScalarAsync(ct)) > 0 ? null : "it holds no migrations";
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    internal static async Task<string> DescribeAsync(string connection, CancellationToken ct)
    {
        await using var db = new SqliteConnection(connection);
        await db.OpenAsync(ct);
        var parts = new List<string>();
        foreach (var table in new[] { "tickets", "ticket_history", "sites", "notices" })
        {
            await using var count = db.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM {table}";
            parts.Add($"{await count.ExecuteScalarAsync(ct)} {table.Replace('_', ' ')}");
        }
        return string.Join(", ", parts);
    }
}
