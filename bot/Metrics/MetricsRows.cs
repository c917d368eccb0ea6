using System.Data.Common;
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
    private const string ReleasesSql = """
        SELECT t.id, t.component, t.release_type, t.state, t.outcome, t.provider_id,
               CASE WHEN {1} THEN 0 ELSE 1 END AS restricted, t.created_at,
               s.unverified_at, s.verified_at, s.closed_at, s.rejected_at
        FROM tickets t
        LEFT JOIN ticket_step_times s ON s.ticket_id = t.id
        WHERE t.created_at >= @from AND t.created_at < @to AND t.state <> 'cancelled' {0}
        """;

    // Answered from ix_ticket_participations_metrics (0010) without visiting the participations table.
    private const string ParticipationsSql = """
        SELECT p.ticket_id, p.site_id, p.site_name, p.accepted_at, p.done_at, p.hours, s.verified_at,
               CASE WHEN {1} THEN 0 ELSE 1 END AS restricted, t.component, t.provider_id
        FROM ticket_participations p
        JOIN tickets t ON t.id = p.ticket_id
        LEFT JOIN ticket_step_times s ON s.ticket_id = p.ticket_id
        WHERE p.withdrawn_at IS NULL AND p.accepted_at >= @from AND p.accepted_at < @to {0}
        """;

    public static async Task<IReadOnlyList<ReleaseRow>> ReleasesAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var rows = new List<ReleaseRow>();
        var names = new Names();
        await ReadAsync(db, ReleasesSql, period, r => rows.Add(new ReleaseRow(
            r.Reader.GetInt64(0), names.Keep(r.Reader.GetString(1)), TicketNames.Parse<ReleaseType>(r.Reader.GetString(2)),
            TicketNames.Parse<TicketState>(r.Reader.GetString(3)),
            r.Reader.IsDBNull(4) ? null : TicketNames.Parse<Outcome>(r.Reader.GetString(4)),
            names.Keep(r.Reader.GetString(5)), Convert.ToInt64(r.Reader.GetValue(6)) == 1, r.Instant(7)!.Value,
            r.Instant(8), r.Instant(9), r.Instant(10), r.Instant(11))), ct);
        return rows;
    }

    public static async Task<IReadOnlyList<ParticipationRow>> ParticipationsAsync(RolloutDb db, MetricsPeriod period, CancellationToken ct = default)
    {
        var rows = new List<ParticipationRow>();
        var names = new Names();
        await ReadAsync(db, ParticipationsSql, period, r => rows.Add(new ParticipationRow(
            r.Reader.GetInt64(0), r.Reader.GetInt64(1), names.Keep(r.Reader.GetString(2)), r.Instant(3)!.Value, r.Instant(4),
            r.Reader.IsDBNull(5) ? null : r.Reader.GetDouble(5), r.Instant(6),
            Convert.ToInt64(r.Reader.GetValue(7)) == 1, names.Keep(r.Reader.GetString(8)), names.Keep(r.Reader.GetString(9)))), ct);
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
                    : "AND p.ticket_id IN (SELECT t.id FROM tickets t WHERE t.stack = @stack)", Visibility.PublicSql);
            Add(command, "from", converter?.ConvertToProvider(period.From) ?? period.From);
            Add(command, "to", converter?.ConvertToProvider(period.To) ?? period.To);
            if (period.Stack is not null) Add(command, "stack", period.Stack);
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

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
