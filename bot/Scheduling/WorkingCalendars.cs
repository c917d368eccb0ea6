using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

/// <summary>
/// Builds the working calendar that applies: the coordinators' one for channel-wide deadlines, a site's one for that
/// site's deadlines (its own time zone; holidays for everyone plus the site's own). Holidays come from configuration
/// (<c>Scheduling:Holidays</c>) and from <c>/holiday add</c>.
/// </summary>
public sealed class WorkingCalendars(IOptions<SchedulingOptions> options)
{
    private readonly SchedulingOptions _options = options.Value;

    public DateTimeZone CoordinatorZone => SchedulingOptionsValidator.Zone(_options.TimeZone)!;
    public LocalTime DayStart => SchedulingOptionsValidator.Time(_options.WorkdayStart)!.Value;
    public LocalTime DayEnd => SchedulingOptionsValidator.Time(_options.WorkdayEnd)!.Value;

    public async Task<WorkingCalendar> ForChannelAsync(RolloutDb db, CancellationToken ct = default) =>
        Build(CoordinatorZone, await HolidaysAsync(db, null, ct));

    public async Task<WorkingCalendar> ForSiteAsync(RolloutDb db, long siteId, CancellationToken ct = default)
    {
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct)
            ?? throw new InvalidOperationException($"There is no site with id {siteId}.");
        var zone = SchedulingOptionsValidator.Zone(site.TimeZone) ?? CoordinatorZone;
        return Build(zone, await HolidaysAsync(db, siteId, ct));
    }

    public WorkingCalendar Build(DateTimeZone zone, IEnumerable<HolidayEntry> holidays) =>
        new(zone, holidays.Select(h => LocalDate.FromDateOnly(h.Date)), DayStart, DayEnd);

    /// <summary>Holidays for everyone, plus those of <paramref name="siteId"/> when given, ordered by date.</summary>
    public async Task<IReadOnlyList<HolidayEntry>> HolidaysAsync(RolloutDb db, long? siteId, CancellationToken ct = default)
    {
        string? siteName = null;
        if (siteId is not null)
            siteName = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.Name).FirstOrDefaultAsync(ct);

        var stored = await db.Holidays.AsNoTracking()
            .Where(h => h.SiteId == null || h.SiteId == siteId)
            .Select(h => new { h.Date, h.Name, h.SiteId })
            .ToListAsync(ct);
        var fromStore = stored.Select(h => new HolidayEntry(h.Date, h.Name, h.SiteId is null ? null : siteName, false));
        var fromConfig = _options.Holidays
            .Where(h => string.IsNullOrWhiteSpace(h.Site) || string.Equals(h.Site.Trim(), siteName, StringComparison.OrdinalIgnoreCase))
            .Select(h => new HolidayEntry(SchedulingOptionsValidator.Date(h.Date)!.Value.ToDateOnly(), h.Name,
                string.IsNullOrWhiteSpace(h.Site) ? null : h.Site.Trim(), true));
        return fromConfig.Concat(fromStore).OrderBy(h => h.Date).ThenBy(h => h.Name, StringComparer.Ordinal).ToList();
    }

    public bool IsConfigured(DateOnly date, string? site) => _options.Holidays.Any(h =>
        SchedulingOptionsValidator.Date(h.Date)?.ToDateOnly() == date
        && string.Equals(string.IsNullOrWhiteSpace(h.Site) ? null : h.Site.Trim(), site, StringComparison.OrdinalIgnoreCase));
}
