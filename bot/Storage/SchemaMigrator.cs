using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Storage;

/// <summary>
/// Applies the numbered SQL scripts in Storage/Migrations for the configured engine, each once, in order, in a
/// transaction. Written by hand because EF Core's design-time migration tooling does not restore here; the
/// scripts are the reviewed, engine-specific DDL. PostgreSQL takes an advisory lock so that several instances
/// starting together migrate once.
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x526f6c6c6f7574; // "Rollout"

    public static Task MigrateAsync(RolloutDb db, CancellationToken ct = default) => MigrateAsync(db, null, ct);

    /// <param name="stopBefore">Applies only the scripts whose id sorts before this one: tests build an older schema with it.</param>
    internal static async Task MigrateAsync(RolloutDb db, string? stopBefore, CancellationToken ct)
    {
        var engine = db.Database.IsNpgsql() ? "postgres" : "sqlite";
        var scripts = Scripts(engine).Where(s => stopBefore is null || string.CompareOrdinal(s.Id, stopBefore) < 0).ToList();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (engine == "sqlite")
            {
                await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct);
            }
            else
            {
                // Held for the whole run, before the first DDL: two instances creating schema_migrations at once on an
                // empty database collide in PostgreSQL's catalogue ("duplicate key … pg_type") even with IF NOT EXISTS.
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey});", ct);
            }
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);", ct);

            // Read once what is applied, so that a start with nothing to do is one statement, not a transaction per
            // script; each script still checks again inside its transaction, where another instance may have applied it.
            var applied = await AppliedAsync(connection, ct);
            foreach (var (id, sql) in scripts.Where(s => !applied.Contains(s.Id)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                if (engine == "postgres")
                {
                    await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey});", ct);
                }
                if (await IsAppliedAsync(connection, tx, id, ct))
                {
                    await tx.RollbackAsync(ct);
                    continue;
                }
                await ExecuteAsync(connection, tx, sql, ct);
                await using var mark = connection.CreateCommand();
                mark.Transaction = tx;
                mark.CommandText = "INSERT INTO schema_migrations (id, applied_at) VALUES (@id, @at)";
                mark.AddParameter("@id", id);
                mark.AddParameter("@at", DateTimeOffset.UtcNow.ToString("O"));
                await mark.ExecuteNonQueryAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            // Closing the connection ends the session and with it the lock; pooled connections stay open, so unlock first.
            if (engine == "postgres")
            {
                try { await ExecuteAsync(db.Database.GetDbConnection(), null, $"SELECT pg_advisory_unlock({AdvisoryLockKey});", CancellationToken.None); }
                catch (DbException) { } // the session is gone, and the lock with it
            }
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The migrations this build carries that the database has not applied (all of them on an empty database).</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(RolloutDb db, CancellationToken ct = default)
    {
        var engine = db.Database.IsNpgsql() ? "postgres" : "sqlite";
        var ids = Scripts(engine).Select(s => s.Id).ToList();
        List<string> applied;
        try
        {
            applied = await db.Database.SqlQueryRaw<string>("SELECT id AS \"Value\" FROM schema_migrations").ToListAsync(ct);
        }
        catch (DbException)
        {
            return ids; // no schema_migrations table: nothing was ever applied
        }
        return ids.Except(applied, StringComparer.Ordinal).ToList();
    }

    internal static IReadOnlyList<(string Id, string Sql)> Scripts(string engine)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var suffix = $".{engine}.sql";
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Storage.Migrations.", StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal))
            .Select(n => (Id: n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..^suffix.Length], Name: n))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => (s.Id, Read(assembly, s.Name)))
            .ToList();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<HashSet<string>> AppliedAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
        return applied;
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction tx, string id, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE id = @id";
        command.AddParameter("@id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
