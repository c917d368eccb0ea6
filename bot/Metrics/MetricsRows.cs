using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

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
/// its key to a range scan of the period. Plain ADO.NET because EF would materialise entities; the model's own
/// converter reads and writes the instants, so the same SQL runs on SQLite (binary ticks) and PostgreSQL (timestamptz).
/// </summary>
public static class MetricsRows
{
    // The stored enum names become numbers in SQL (a spelling the bot did not write comes through as text and is parsed
    // as before), and the component and provider of a public release, which no viewer's rule needs, stay in the database:
    // each string column read costs Microsoft.Data.Sqlite a decode and an allocation per row (see tests/bench/RESULTS.md).
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T? Enum<T>(DbDataReader reader, int i) where T : struct, Enum =>
        !reader.IsDBNull(i) ? (T)(object)reader.GetInt32(i) : reader.IsDBNull(i + 1) ? null : TicketNames.Parse<T>(reader.GetString(i + 1));

    public static async Task<IReadOnlyList<ReleaseRow>> ReleasesAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var rows = new List<ReleaseRow>();
        var names = new Names();
        await ReadAsync(db, ReleasesSql, period, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (Row r) =>
        {
            var reader = r.Reader;
            var restricted = !reader.IsDBNull(8);
            rows.Add(new ReleaseRow(
                reader.GetInt64(0), names.Keep(reader.GetString(1)),
                Enum<ReleaseType>(reader, 2) ?? throw new InvalidOperationException("A ticket without a release type in the database."),
                Enum<TicketState>(reader, 4) ?? throw new InvalidOperationException("A ticket without a state in the database."),
                Enum<Outcome>(reader, 6), restricted ? names.Keep(reader.GetString(8)) : "", restricted, r.Instant(9)!.Value,
                r.Instant(10), r.Instant(11), r.Instant(12), r.Instant(13)));
        }, ct);
        return rows;
    }

    public static async Task<IReadOnlyList<ParticipationRow>> ParticipationsAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var rows = new List<ParticipationRow>();
        var names = new Names();
        await ReadAsync(db, ParticipationsSql, period, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (Row r) =>
        {
            var reader = r.Reader;
            var restricted = !reader.IsDBNull(7);
            rows.Add(new ParticipationRow(
                reader.GetInt64(0), reader.GetInt64(1), names.Keep(reader.GetString(2)), r.Instant(3)!.Value, r.Instant(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5), r.Instant(6),
                restricted, restricted ? names.Keep(reader.GetString(8)) : "", restricted ? names.Keep(reader.GetString(9)) : ""));
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
    /// of being kept, with its row, for as long as the row cache holds them.
    /// </summary>
    private sealed class Names
    {
        private readonly Dictionary<string, string> _kept = new(StringComparer.Ordinal);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public string Keep(string name)
        {
            if (_kept.TryGetValue(name, out var kept)) return kept;
            _kept[name] = name;
            return name;
        }
    }

    /// <param name="FromTicks">SQLite's converter from stored ticks, compiled once per read (the untyped one boxes every value).</param>
    private sealed record Row(DbDataReader Reader, Func<long, DateTimeOffset>? FromTicks)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public DateTimeOffset? Instant(int i)
        {
            if (Reader.IsDBNull(i)) return null;
            if (FromTicks is not null) return FromTicks(Reader.GetInt64(i));
            return new DateTimeOffset(DateTime.SpecifyKind(Reader.GetFieldValue<DateTime>(i), DateTimeKind.Utc));
        }
    }

    private static async Task ReadAsync(RolloutDb db, string sqlTemplate, MetricsPeriod period, Action<Row> read, CancellationToken ct)
    {
        var converter = db.Model.FindEntityType(typeof(TicketHistory))!.FindProperty(nameof(TicketHistory.At))!.GetTypeMapping().Converter;
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlTemplate,
                period.Stack is null ? "" : sqlTemplate == ReleasesSql ? "AND t.stack = @stack"
                    : "AND p.ticket_id IN (SELECT t.id FROM tickets t WHERE t.stack = @stack)", Visibility.PublicSql, Visibility.RestrictedSql);
            command.AddParameter("@from", converter?.ConvertToProvider(period.From) ?? period.From);
            command.AddParameter("@to", converter?.ConvertToProvider(period.To) ?? period.To);
            if (period.Stack is not null) command.AddParameter("@stack", period.Stack);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var row = new Row(reader, converter switch
            {
                null => null,
                ValueConverter<DateTimeOffset, long> ticks => ticks.ConvertFromProviderExpression.Compile(),
                _ => throw new InvalidOperationException($"Metrics cannot read instants stored through {converter.GetType().Name}."),
            });
            while (await reader.ReadAsync(ct)) read(row);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }
}
