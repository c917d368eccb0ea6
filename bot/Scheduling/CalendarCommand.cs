using System.Text;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Scheduling;

/// <summary><c>/calendar [site=NAME]</c>: the next 30 days that are not plain working days, and the meetings.</summary>
public static class CalendarCommand
{
    public const int Days = 30;
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM");
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static CommandDefinition Definition(WorkingCalendars calendars, Coordination.MeetingCatalog meetings) => new("calendar", "Everyone",
        ["/calendar [site=NAME]"], "the next 30 days: weekends, holidays and meetings", Writes: false, s => HandleAsync(s, calendars, meetings));

    private static async Task<Reply> HandleAsync(CommandSession s, WorkingCalendars calendars, Coordination.MeetingCatalog meetings)
    {
        var ct = s.Ct;
        long? siteId = null;
        string? siteName = null;
        if (s.Command.Get("site") is { } typed)
        {
            var site = await Sites.FindAsync(s.Db, typed, ct);
            if (site is null)
                return Reply.No($"There is no site '{typed}' in the Early Adopter registry. Check the spelling, or leave out site= for the coordinators' calendar.");
            (siteId, siteName) = (site.Id, site.Name);
        }
        var calendar = siteId is null ? await calendars.ForChannelAsync(s.Db, ct) : await calendars.ForSiteAsync(s.Db, siteId.Value, ct);
        var holidays = await calendars.HolidaysAsync(s.Db, siteId, ct);
        return Render(calendar, holidays, await meetings.AllAsync(s.Db, ct), s.Now, siteName);
    }

    /// <summary>Pure rendering, one line per day that is not a plain working day or has a meeting.</summary>
    public static string Render(WorkingCalendar calendar, IReadOnlyList<HolidayEntry> holidays, IReadOnlyList<Meeting> meetings,
        DateTimeOffset now, string? siteName)
    {
        var today = calendar.ToLocal(now).Date;
        var last = today.PlusDays(Days - 1);
        var text = new StringBuilder()
            .Append("**Calendar ").Append(siteName is null ? "of the coordinators" : $"of {siteName}").Append("**, ")
            .Append(Day.Format(today)).Append(" – ").Append(Day.Format(last)).Append(" (").Append(calendar.Zone.Id)
            .Append(", working hours ").Append(Time.Format(calendar.DayStart)).Append('–').Append(Time.Format(calendar.DayEnd)).Append(")\n");

        // A daily meeting is said once rather than on every working day.
        foreach (var daily in meetings.Where(m => m.Recurs == Recurrence.Daily))
            text.Append("Every working day: ").Append(daily.Name).Append(' ').Append(Time.Format(daily.Time))
                .Append(daily.Zone.Id == calendar.Zone.Id ? "" : $" {daily.Zone.Id}").Append('\n');
        var occurrences = meetings.Where(m => m.Recurs != Recurrence.Daily).SelectMany(m => m.OccurrencesBetween(today, last)).ToList();
        var working = 0;
        for (var day = today; day <= last; day = day.PlusDays(1))
        {
            var notes = new List<string>();
            if (WorkingCalendar.IsWeekend(day)) notes.Add("weekend");
            notes.AddRange(holidays.Where(h => LocalDate.FromDateOnly(h.Date) == day)
                .Select(h => h.Site is null ? $"holiday: {h.Name}" : $"holiday at {h.Site}: {h.Name}"));
            notes.AddRange(occurrences.Where(o => o.LocalStart.Date == day).OrderBy(o => o.Start)
                .Select(o => $"{o.Meeting.Name} {Time.Format(o.LocalStart.TimeOfDay)}"
                    + (o.Meeting.HasBulletin ? $" (bulletin {Time.Format(o.LocalBulletinAt.TimeOfDay)})" : "")
                    + (o.Meeting.Zone.Id == calendar.Zone.Id ? "" : $" {o.Meeting.Zone.Id}")));
            if (calendar.IsWorkingDay(day)) working++;
            if (notes.Count > 0) text.Append("- ").Append(Day.Format(day)).Append(": ").Append(string.Join("; ", notes)).Append('\n');
        }
        text.Append(working).Append(" working days in these ").Append(Days).Append(" days.");
        return text.ToString();
    }
}
