using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;
using SQLitePCL;

namespace Rollout.Bot.Metrics;

/// <summary>
/// One release with the instants of its state moves (from <c>ticket_step_times</c>). A struct, as is
/// <see cref="ParticipationRow"/>: a year is ~100k rows, and rows kept in one array cost the GC nothing to keep.
/// </summary>
public readonly record struct ReleaseRow(
    long Id, string Component, ReleaseType Type, TicketState State, Outcome? Outcome, string ProviderId, bool Restricted,
    DateTimeOffset CreatedAt, DateTimeOffset? UnverifiedAt, DateTimeOffset? VerifiedAt, DateTimeOffset? ClosedAt, DateTimeOffset? RejectedAt);

/// <summary>One site's part in a release, with the instant the release was verified (acceptance latency starts there).</summary>
/// <remarks><see cref="Restricted"/>, <see cref="Component"/> and <see cref="ProviderId"/> are the release's: a site's part in an
/// embargoed release must not show in its tallies to those who may not see the release (issue 12.8).</remarks>
public readonly record struct ParticipationRow(
    long TicketId, long SiteId, string SiteName, DateTimeOffset AcceptedAt, DateTimeOffset? DoneAt, double? Hours, DateTimeOffset? VerifiedAt,
    bool Restricted = false, string Component = "", string ProviderId = "")
{
    /// <summary>The release as <see cref="Visibility"/> needs it, for the viewer's <c>mayName</c>.</summary>
    public ReleaseRow Release => new(TicketId, Component, default, default, null, ProviderId, Restricted, default, null, null, null, null);
}

public sealed record CommittedSite(long Id, string Name);

/// <summary>
/// Reads what metrics need with SQL that filters in the database: the history has a million rows, so the instants of
/// each ticket's state moves come from <c>ticket_step_times</c> (one row per ticket, kept by the workflow), joined on
/// its key to a range scan of the period. Not through EF, which would materialise entities (see <see cref="Cursor"/>); the
/// model's own converter reads and writes the instants, so the same SQL runs on SQLite (binary ticks) and PostgreSQL (timestamptz).
/// </summary>
public static class MetricsRows
{
    // The stored enum names become numbers in SQL (a spelling the bot did not write comes through as text and is parsed
    // as before), and the component and provider of a public release, which no viewer's rule needs, stay in the database:
    // each string column read costs a decode per row (see tests/bench/RESULTS.md).
    private static readonly string ReleasesSql = $$"""
        SELECT t.id, t.component, {{Code<ReleaseType>("t.release_type")}}, {{Code<TicketState>("t.state")}}, {{Code<Outcome>("t.outcome")}},
               CASE WHEN {1} THEN NULL ELSE t.provider_id END AS restricted_provider, t.created_at,
               s.unverified_at, s.verified_at, s.closed_at, s.rejected_at
        FROM tickets t
        LEFT JOIN ticket_step_times s ON s.ticket_id = t.id
        WHERE t.created_at >= @from AND t.created_at < @to AND t.state <> 'cancelled' {0}
        """;

    // Answered from ix_ticket_participations_metrics (0010) without visiting the participations table; the release is
    // looked up only among the restricted ones (ix_tickets_restricted, 0056), the few whose component and provider matter.
    private const string ParticipationsSql = """
        SELECT p.ticket_id, p.site_id, p.site_name, p.accepted_at, p.done_at, p.hours, s.verified_at,
               r.id, r.component, r.provider_id
        FROM ticket_participations p
        LEFT JOIN (SELECT t.id, t.component, t.provider_id FROM tickets t WHERE {2}) r ON r.id = p.ticket_id
        LEFT JOIN ticket_step_times s ON s.ticket_id = p.ticket_id
        WHERE p.withdrawn_at IS NULL AND p.accepted_at >= @from AND p.accepted_at < @to {0}
        """;

    /// <summary>Two columns for a stored enum name: its value as a number when spelt as the bot writes it, else the text itself.</summary>
    private static string Code<T>(string column) where T : struct, Enum
    {
        var names = TicketNames.StoredNames<T>();
        var cases = string.Join(" ", names.Select(n => $"WHEN '{n.Key}' THEN {Convert.ToInt32(n.Value, System.Globalization.CultureInfo.InvariantCulture)}"));
        var list = string.Join(", ", names.Keys.Select(k => $"'{k}'"));
        return $"CASE {column} {cases} END, CASE WHEN {column} IN ({list}) THEN NULL ELSE {column} END";
    }

    public static async Task<IReadOnlyList<ReleaseRow>> ReleasesAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var rows = new List<ReleaseRow>();
        var names = new Names();
        await ReadAsync(db, ReleasesSql, period, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (Cursor c) =>
        {
            var restricted = !c.IsNull(8);
            rows.Add(new ReleaseRow(
                c.Int64(0), c.Name(1, names),
                c.Enum<ReleaseType>(2) ?? throw new InvalidOperationException("A ticket without a release type in the database."),
                c.Enum<TicketState>(4) ?? throw new InvalidOperationException("A ticket without a state in the database."),
                c.Enum<Outcome>(6), restricted ? c.Name(8, names) : "", restricted, c.Instant(9)!.Value,
                c.Instant(10), c.Instant(11), c.Instant(12), c.Instant(13)));
        }, ct);
        return rows;
    }

    public static async Task<IReadOnlyList<ParticipationRow>> ParticipationsAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var rows = new List<ParticipationRow>();
        var names = new Names();
        await ReadAsync(db, ParticipationsSql, period, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (Cursor c) =>
        {
            var restricted = !c.IsNull(7);
            rows.Add(new ParticipationRow(
                c.Int64(0), c.Int64(1), c.Name(2, names), c.Instant(3)!.Value, c.Instant(4),
                c.IsNull(5) ? null : c.Double(5), c.Instant(6),
                restricted, restricted ? c.Name(8, names) : "", restricted ? c.Name(9, names) : ""));
        }, ct);
        return rows;
    }

    /// <summary>Sites with a commitment that overlaps the period (on the stack, when one is given).</summary>
    public static async Task<IReadOnlyList<CommittedSite>> CommittedSitesAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var query = db.Commitments.AsNoTracking()
            .Where(c => c.CommittedAt < period.To && (c.EndedAt == null || c.EndedAt >= period.From));
        if (period.Stack is { } stack) query = query.Where(c => c.Site!.Stack == stack);
        var sites = await query.Select(c => new { c.SiteId, c.Site!.Name }).Distinct().ToListAsync(ct);
        return sites.Select(s => new CommittedSite(s.SiteId, s.Name)).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>How many tickets each site passed on in the period ("not this time"), on the stack when one is given.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> DeclinedBySiteAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var query = db.SiteDeclines.AsNoTracking().Where(d => d.DeclinedAt >= period.From && d.DeclinedAt < period.To);
        if (period.Stack is { } stack) query = query.Where(d => db.Tickets.Any(t => t.Id == d.TicketId && t.Stack == stack));
        var counts = await query.GroupBy(d => d.SiteName).Select(g => new { Site = g.Key, Count = g.Count() }).ToListAsync(ct);
        return counts.ToDictionary(c => c.Site, c => c.Count, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// One instance per distinct name (a dozen components, forty sites): the copy each row reads dies young instead
    /// of being kept, with its row, for as long as the row cache holds them. SQLite's rows are looked up by their
    /// UTF-8 bytes decoded on the stack, so a name seen before costs no allocation.
    /// </summary>
    private sealed class Names
    {
        private readonly Dictionary<string, string> _kept = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

        public Names() => _bySpan = _kept.GetAlternateLookup<ReadOnlySpan<char>>();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public string Keep(string name)
        {
            if (_kept.TryGetValue(name, out var kept)) return kept;
            _kept[name] = name;
            return name;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public string Keep(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > 256) return Keep(System.Text.Encoding.UTF8.GetString(utf8));
            Span<char> chars = stackalloc char[256];
            var name = chars[..System.Text.Encoding.UTF8.GetChars(utf8, chars)];
            if (_bySpan.TryGetValue(name, out var kept)) return kept;
            var added = name.ToString();
            _kept[added] = added;
            return added;
        }
    }

    /// <summary>
    /// The current row of one query, column by column. Microsoft.Data.Sqlite's reader checks and converts every value it
    /// hands out, which at a few hundred thousand rows costs more than SQLite's own work (tests/bench/RESULTS.md, stop 28),
    /// so on SQLite the statement is stepped through SQLitePCLRaw, the library under Microsoft.Data.Sqlite, on the
    /// connection EF opened; PostgreSQL is read through Npgsql's reader.
    /// </summary>
    private abstract class Cursor
    {
        public abstract bool IsNull(int i);
        public abstract long Int64(int i);
        public abstract int Int32(int i);
        public abstract double Double(int i);
        public abstract string Text(int i);
        public abstract string Name(int i, Names names);
        public abstract DateTimeOffset? Instant(int i);

        /// <summary>Two columns for a stored enum name (see <see cref="Code{T}"/>): its number, else the text as stored.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public T? Enum<T>(int i) where T : struct, Enum =>
            !IsNull(i) ? (T)(object)Int32(i) : IsNull(i + 1) ? null : TicketNames.Parse<T>(Text(i + 1));
    }

    private sealed class AdoCursor(DbDataReader reader) : Cursor
    {
        public override bool IsNull(int i) => reader.IsDBNull(i);
        public override long Int64(int i) => reader.GetInt64(i);
        public override int Int32(int i) => reader.GetInt32(i);
        public override double Double(int i) => reader.GetDouble(i);
        public override string Text(int i) => reader.GetString(i);
        public override string Name(int i, Names names) => names.Keep(reader.GetString(i));

        public override DateTimeOffset? Instant(int i) =>
            reader.IsDBNull(i) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(i), DateTimeKind.Utc));
    }

    /// <param name="fromTicks">The model's converter from stored ticks, compiled once per read (the untyped one boxes every value).</param>
    private sealed class SqliteCursor(sqlite3_stmt statement, Func<long, DateTimeOffset> fromTicks) : Cursor
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool IsNull(int i) => raw.sqlite3_column_type(statement, i) == raw.SQLITE_NULL;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override long Int64(int i) => raw.sqlite3_column_int64(statement, i);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override int Int32(int i) => raw.sqlite3_column_int(statement, i);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override double Double(int i) => raw.sqlite3_column_double(statement, i);

        public override string Text(int i) => raw.sqlite3_column_text(statement, i).utf8_to_string();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override string Name(int i, Names names) => names.Keep(raw.sqlite3_column_blob(statement, i));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override DateTimeOffset? Instant(int i) => IsNull(i) ? null : fromTicks(raw.sqlite3_column_int64(statement, i));
    }

    private static async Task ReadAsync(RolloutDb db, string sqlTemplate, MetricsPeriod period, Action<Cursor> read, CancellationToken ct)
    {
        var converter = db.Model.FindEntityType(typeof(TicketHistory))!.FindProperty(nameof(TicketHistory.At))!.GetTypeMapping().Converter;
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlTemplate,
            period.Stack is null ? "" : sqlTemplate == ReleasesSql ? "AND t.stack = @stack"
                : "AND p.ticket_id IN (SELECT t.id FROM tickets t WHERE t.stack = @stack)", Visibility.PublicSql, Visibility.RestrictedSql);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            if (connection is SqliteConnection sqlite)
            {
                if (converter is not ValueConverter<DateTimeOffset, long> ticks)
                    throw new InvalidOperationException($"Metrics cannot read instants stored through {converter?.GetType().Name ?? "no converter"} on SQLite.");
                ReadSqlite(sqlite, sql, period, ticks, read, ct);
                return;
            }
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.AddParameter("@from", converter?.ConvertToProvider(period.From) ?? period.From);
            command.AddParameter("@to", converter?.ConvertToProvider(period.To) ?? period.To);
            if (period.Stack is not null) command.AddParameter("@stack", period.Stack);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var cursor = new AdoCursor(reader);
            while (await reader.ReadAsync(ct)) read(cursor);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>
    /// Steps the statement on the connection's own handle. A reader in WAL mode waits for no writer; SQLITE_BUSY can still
    /// come from the first step (a checkpoint restarting the log), and is retried for the connection's command timeout
    /// as Microsoft.Data.Sqlite would.
    /// </summary>
    private static void ReadSqlite(SqliteConnection connection, string sql, MetricsPeriod period, ValueConverter<DateTimeOffset, long> ticks,
        Action<Cursor> read, CancellationToken ct)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            Bind(handle, statement, "@from", ticks.ConvertToProviderTyped(period.From));
            Bind(handle, statement, "@to", ticks.ConvertToProviderTyped(period.To));
            if (period.Stack is { } stack)
                Check(handle, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, "@stack"), stack));
            var cursor = new SqliteCursor(statement, ticks.ConvertFromProviderExpression.Compile());
            var giveUpAt = Environment.TickCount64 + connection.DefaultTimeout * 1000L;
            var rc = raw.sqlite3_step(statement);
            while (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && Environment.TickCount64 < giveUpAt)
            {
                ct.ThrowIfCancellationRequested();
                Thread.Sleep(10);
                raw.sqlite3_reset(statement);
                rc = raw.sqlite3_step(statement);
            }
            for (var count = 1; rc == raw.SQLITE_ROW; count++)
            {
                if ((count & 0xFFF) == 0) ct.ThrowIfCancellationRequested();
                read(cursor);
                rc = raw.sqlite3_step(statement);
            }
            if (rc != raw.SQLITE_DONE) Check(handle, rc);
        }
    }

    private static void Bind(sqlite3 handle, sqlite3_stmt statement, string name, long value) =>
        Check(handle, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, name), value));

    private static void Check(sqlite3 handle, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), rc, raw.sqlite3_extended_errcode(handle));
    }
}
