using System.Globalization;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Extensions;
using NodaTime.Text;

namespace Rollout.Bot.Scheduling;

/// <summary>Checks the Scheduling section at start-up; every failure names the configuration key and the expected form.</summary>
public sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions o)
    {
        var errors = new List<string>();
        if (Zone(o.TimeZone) is null) errors.Add($"Scheduling:TimeZone '{o.TimeZone}' is not an IANA time zone (e.g. Europe/Zurich).");
        var start = Time(o.WorkdayStart);
        var end = Time(o.WorkdayEnd);
        if (start is null) errors.Add($"Scheduling:WorkdayStart '{o.WorkdayStart}' is not a time of day HH:mm.");
        if (end is null) errors.Add($"Scheduling:WorkdayEnd '{o.WorkdayEnd}' is not a time of day HH:mm.");
        if (start is not null && end is not null && end <= start) errors.Add("Scheduling:WorkdayEnd must be after Scheduling:WorkdayStart.");
        if (o.ReminderSweepSeconds < 5) errors.Add("Scheduling:ReminderSweepSeconds must be at least 5.");

        for (var i = 0; i < o.Holidays.Count; i++)
        {
            if (Date(o.Holidays[i].Date) is null) errors.Add($"Scheduling:Holidays:{i}:Date '{o.Holidays[i].Date}' is not a date yyyy-MM-dd.");
            if (string.IsNullOrWhiteSpace(o.Holidays[i].Name)) errors.Add($"Scheduling:Holidays:{i}:Name is required.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < o.Meetings.Count; i++)
        {
            var m = o.Meetings[i];
            var key = $"Scheduling:Meetings:{i}";
            if (string.IsNullOrWhiteSpace(m.Name)) errors.Add($"{key}:Name is required.");
            else if (!names.Add(m.Name)) errors.Add($"{key}:Name '{m.Name}' is used by two meetings.");
            var recurs = Recurs(m.Every);
            if (recurs is null) errors.Add($"{key}:Every '{m.Every}' must be daily, weekly, fortnightly, quarterly or once.");
            var day = Day(m.Day);
            if (day is null && recurs is Recurrence.Weekly or Recurrence.Fortnightly)
                errors.Add($"{key}:Day '{m.Day}' is not a day of the week (e.g. Monday).");
            if (Length(m.Length) is null) errors.Add($"{key}:Length '{m.Length}' must be a duration hh:mm between 00:05 and 23:59.");
            if (Time(m.Time) is null) errors.Add($"{key}:Time '{m.Time}' is not a time of day HH:mm.");
            if (!string.IsNullOrWhiteSpace(m.TimeZone) && Zone(m.TimeZone) is null) errors.Add($"{key}:TimeZone '{m.TimeZone}' is not an IANA time zone.");
            // Quartz fires in the operating system's zone of the same id; a machine without tzdata would misplace bulletins.
            var zoneId = string.IsNullOrWhiteSpace(m.TimeZone) ? o.TimeZone : m.TimeZone.Trim();
            if (o.Enabled && Zone(zoneId) is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out _))
                errors.Add($"{key}: the time zone '{zoneId}' is unknown to the operating system (install tzdata).");
            if (string.IsNullOrWhiteSpace(m.Channel)) errors.Add($"{key}:Channel (the channel purpose, e.g. operations) is required.");
            if (Lead(m.BulletinLead) is null) errors.Add($"{key}:BulletinLead '{m.BulletinLead}' must be a duration hh:mm between 00:00 and 6.23:59.");
            if (recurs is Recurrence.Fortnightly or Recurrence.Quarterly or Recurrence.Once)
            {
                var anchor = Date(m.Anchor);
                if (anchor is null) errors.Add($"{key}:Anchor (a date yyyy-MM-dd the meeting takes place on) is required for a {m.Every} meeting.");
                else if (recurs == Recurrence.Fortnightly && day is not null && anchor.Value.DayOfWeek != day) errors.Add($"{key}:Anchor {m.Anchor} is not a {m.Day}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static DateTimeZone? Zone(string? id) => string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id.Trim());

    public static LocalTime? Time(string? text)
    {
        var result = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text?.Trim() ?? "");
        return result.Success ? result.Value : null;
    }

    public static LocalDate? Date(string? text)
    {
        var result = LocalDatePattern.Iso.Parse(text?.Trim() ?? "");
        return result.Success ? result.Value : null;
    }

    public static IsoDayOfWeek? Day(string? text) =>
        Enum.TryParse<DayOfWeek>(text?.Trim(), ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(text, out _)
            ? day.ToIsoDayOfWeek()
            : null;

    public static Recurrence? Recurs(string? every) => every?.Trim().ToLowerInvariant() switch
    {
        "daily" => Recurrence.Daily,
        "weekly" => Recurrence.Weekly,
        "fortnightly" => Recurrence.Fortnightly,
        "quarterly" => Recurrence.Quarterly,
        "once" => Recurrence.Once,
        _ => null,
    };

    /// <summary>A meeting's length: hh:mm (or a number of minutes), from 5 minutes to a day.</summary>
    public static Duration? Length(string? text)
    {
        var t = text?.Trim() ?? "";
        TimeSpan span;
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)) span = TimeSpan.FromMinutes(minutes);
        else if (!TimeSpan.TryParseExact(t, [@"h\:mm", @"hh\:mm"], CultureInfo.InvariantCulture, out span)) return null;
        return span >= TimeSpan.FromMinutes(5) && span < TimeSpan.FromDays(1) ? Duration.FromTimeSpan(span) : null;
    }

    public static Duration? Lead(string? text)
    {
        if (!TimeSpan.TryParse(text?.Trim(), CultureInfo.InvariantCulture, out var lead)) return null;
        return lead >= TimeSpan.Zero && lead < TimeSpan.FromDays(7) ? Duration.FromTimeSpan(lead) : null;
    }
}
