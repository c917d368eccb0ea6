using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rollout.Bot.Storage;

/// <summary>
/// Per-connection SQLite settings, applied each time EF opens a connection (the pool keeps the physical connection, so
/// this is one in-process statement). The database is in WAL mode (set by the migrator, it stays with the file), and
/// with <c>synchronous=NORMAL</c> a commit is written to the WAL without waiting for an fsync: a committed write
/// survives the process being killed (the WAL is in the operating system's cache and is replayed on the next open), but
/// the last commits before a power loss or kernel crash may be lost, never half-applied. <c>FULL</c>, SQLite's default,
/// fsyncs every commit and made write turns about ten times slower on this machine (see tests/bench/RESULTS.md).
/// <c>Storage:SqliteSynchronous=Full</c> restores it where power loss must not cost the last seconds.
/// </summary>
public sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    private readonly string _sql = $"PRAGMA synchronous={synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }
}
