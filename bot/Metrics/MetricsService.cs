using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Metrics;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// How long the rows of one period are reused. The status page, the API and /metrics all read a year of releases
    /// and acceptances (a few hundred milliseconds cold at 100k tickets, see tests/bench/RESULTS.md); a few seconds of
    /// staleness is fine for statistics. 0 turns it off.
    /// </summary>
    [Range(0, 3600, ErrorMessage = "Metrics:CacheSeconds must be between 0 and 3600.")]
    public int CacheSeconds { get; set; } = 30;
}

/// <summary>Loads the rows of a period and builds the report; the chat command, the API and the status page share it.</summary>
public sealed class MetricsService(IDbContextFactory<RolloutDb> dbs, WorkingCalendars calendars, IOptions<MetricsOptions> options, TimeProvider clock)
{
    private sealed record Rows(IReadOnlyList<ReleaseRow> Releases, IReadOnlyList<ParticipationRow> Participations, IReadOnlyList<CommittedSite> Committed,
        IReadOnlyDictionary<string, int> Declined, DateTimeOffset ReadAt);

    private const int MaxCached = 32;
    private readonly ConcurrentDictionary<MetricsPeriod, Task<Rows>> _cache = new();

    /// <summary>For anonymous readers (the API, the status page): no restricted release is ever named.</summary>
    public static readonly Func<ReleaseRow, bool> Public = r => Visibility.MaySee(null, r.Restricted, r.Component, r.ProviderId);

    /// <summary><see cref="Visibility"/>'s rule, applied to a row already read.</summary>
    public static Func<ReleaseRow, bool> For(Conversation.Caller caller) => r => Visibility.MaySee(caller, r.Restricted, r.Component, r.ProviderId);

    public async Task<MetricsReport> BuildAsync(MetricsPeriod period, Func<ReleaseRow, bool> mayName, CancellationToken ct = default)
    {
        var reading = RowsAsync(period, ct); // on their own connections, while the calendar is read here
        await using var db = await dbs.CreateDbContextAsync(ct);
        var calendar = await calendars.ForChannelAsync(db, ct);
        var rows = await reading;
        var credits = await Pilots.PilotCredits.TotalsAsync(db, period.From, period.To, ct);
        return MetricsReport.Build(period, rows.Releases, rows.Participations, rows.Committed, calendar, mayName, rows.Declined) with { PilotCredits = credits };
    }

    private async Task<Rows> RowsAsync(MetricsPeriod period, CancellationToken ct)
    {
        var ttl = TimeSpan.FromSeconds(options.Value.CacheSeconds);
        if (ttl == TimeSpan.Zero) return await ReadAsync(period, ct);
        var now = clock.GetUtcNow();
        foreach (var (key, old) in _cache)
        {
            if (old.IsCompleted && (old.IsFaulted || old.IsCanceled || now - old.Result.ReadAt >= ttl)) _cache.TryRemove(key, out _);
        }
        if (_cache.Count >= MaxCached) _cache.Clear();
        // Concurrent readers of one period share a single read; the read itself is not tied to one caller's cancellation.
        return await _cache.GetOrAdd(period, p => ReadAsync(p, CancellationToken.None)).WaitAsync(ct);
    }

    /// <summary>The two large reads run side by side on their own connections (WAL readers do not block each other).</summary>
    private async Task<Rows> ReadAsync(MetricsPeriod period, CancellationToken ct)
    {
        var readAt = clock.GetUtcNow();
        var releases = Task.Run(async () => { await using var db = await dbs.CreateDbContextAsync(ct); return await MetricsRows.ReleasesAsync(db, period, ct); }, ct);
        var participations = Task.Run(async () => { await using var db = await dbs.CreateDbContextAsync(ct); return await MetricsRows.ParticipationsAsync(db, period, ct); }, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var committed = await MetricsRows.CommittedSitesAsync(db, period, ct);
        var declined = await MetricsRows.DeclinedBySiteAsync(db, period, ct);
        return new Rows(await releases, await participations, committed, declined, readAt);
    }
}
