using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tests.Scheduling;

/// <summary>Test helpers: local wall times written as "2026-11-23 10:00" in a zone, and back.</summary>
internal static class Zurich
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/Zurich"];
    private static readonly LocalDateTimePattern Pattern = LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd HH:mm");

    public static DateTimeOffset At(string local, DateTimeZone? zone = null) =>
        (zone ?? Zone).ResolveLocal(Pattern.Parse(local).Value, Resolvers.StrictResolver).ToInstant().ToDateTimeOffset();

    public static string Local(DateTimeOffset instant, DateTimeZone? zone = null) =>
        Pattern.Format(Instant.FromDateTimeOffset(instant).InZone(zone ?? Zone).LocalDateTime);

    public static WorkingCalendar Calendar(params string[] holidays) => Calendar(Zone, holidays);

    public static WorkingCalendar Calendar(DateTimeZone zone, params string[] holidays) =>
        new(zone, holidays.Select(h => LocalDatePattern.Iso.Parse(h).Value), new LocalTime(9, 0), new LocalTime(17, 0));
}
