using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Metrics;

/// <summary>Loads the rows of a period and builds the report; the chat command, the API and the status page share it.</summary>
public sealed class MetricsService(IDbContextFactory<RolloutDb> dbs, WorkingCalendars calendars)
{
    /// <summary>For anonymous readers (the API, the status page): no restricted release is ever named.</summary>
    public static readonly Func<ReleaseRow, bool> Public = _ => false;

    /// <summary>The same rule as <see cref="Ticket.VisibleTo"/>, applied to a row already read.</summary>
    public static Func<ReleaseRow, bool> For(Viewer viewer) => r =>
        viewer.SeesAllRestricted || r.ProviderId == viewer.Caller.UserId || viewer.CommittedComponents.Contains(r.Component.ToLowerInvariant());

    public async Task<MetricsReport> BuildAsync(MetricsPeriod period, Func<ReleaseRow, bool> mayName, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var calendar = await calendars.ForChannelAsync(db, ct);
        var releases = await MetricsRows.ReleasesAsync(db, period, ct);
        var participations = await MetricsRows.ParticipationsAsync(db, period, ct);
        var committed = await MetricsRows.CommittedSitesAsync(db, period, ct);
        return MetricsReport.Build(period, releases, participations, committed, calendar, mayName);
    }
}
