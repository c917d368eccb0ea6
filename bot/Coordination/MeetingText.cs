using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary>How meetings and their occurrences are written in chat, in bulletins and on the status page.</summary>
public static class MeetingText
{
    public static readonly LocalDateTimePattern When = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM yyyy HH:mm");
    public static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    public static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    /// <summary>"fortnightly on Thursday, 15:30–17:00 Europe/Zurich (from 2026-12-03)".</summary>
    public static string Schedule(Meeting m)
    {
        var end = m.Time.PlusMinutes((long)m.Length.TotalMinutes);
        var when = m.Recurs switch
        {
            Recurrence.Daily => "daily on working days",
            Recurrence.Weekly => $"weekly on {m.Day}",
            Recurrence.Fortnightly => $"fortnightly on {m.Day} (from {Date.Format(m.Anchor!.Value)})",
            Recurrence.Quarterly => $"quarterly (from {Date.Format(m.Anchor!.Value)})",
            _ => $"once, on {Date.Format(m.Anchor!.Value)}",
        };
        return $"{when}, {Time.Format(m.Time)}–{Time.Format(end)} {m.Zone.Id}";
    }

    public static string Lead(Duration lead)
    {
        var span = lead.ToTimeSpan();
        var hours = (int)span.TotalHours;
        return (hours, span.Minutes) switch
        {
            (0, var min) => $"{min} min",
            (var h, 0) => $"{h} h",
            var (h, min) => $"{h} h {min} min",
        };
    }

    /// <summary>"Thu 3 Dec 2026 15:30–17:00" (and "moved" when it was).</summary>
    public static string Occurrence(MeetingOccurrence o)
    {
        var end = Instant.FromDateTimeOffset(o.End).InZone(o.Meeting.Zone).LocalDateTime;
        var text = $"{When.Format(o.LocalStart)}–{(end.Date == o.LocalStart.Date ? Time.Format(end.TimeOfDay) : When.Format(end))}";
        return o.Moved ? $"{text} (moved from {Date.Format(o.Date)})" : text;
    }

    public static string People(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);

    /// <summary>The /meetings text: each meeting, its people and room, and its next occurrences with their lengths.</summary>
    public static string List(IReadOnlyList<Meeting> meetings, DateTimeOffset now, int count = 3)
    {
        if (meetings.Count == 0) return "No meetings. A coordinator adds one with `/meeting add`.";
        var text = new StringBuilder("**Meetings**\n");
        foreach (var m in meetings)
        {
            text.Append("\n**").Append(m.Name).Append("** — ").Append(Schedule(m));
            if (m.Room is not null) text.Append(", room ").Append(m.Room);
            text.Append("; ").Append(m.HasBulletin ? $"bulletin {Lead(m.BulletinLead)} before, to the `{m.Channel}` channel" : "no bulletin").Append('\n');
            if (m.Chairs.Count > 0 || m.Secretaries.Count > 0)
                text.Append("Chairs: ").Append(People(m.Chairs)).Append(" · secretaries: ").Append(People(m.Secretaries)).Append('\n');
            var next = m.OccurrencesAfter(now).Take(count).ToList();
            if (next.Count == 0) text.Append("- no further occurrence\n");
            foreach (var o in next)
                text.Append("- ").Append(Occurrence(o))
                    .Append(m.HasBulletin ? $" (bulletin {When.Format(o.LocalBulletinAt)})" : "").Append('\n');
        }
        return text.ToString();
    }

    public static string Minutes(Duration d) => ((int)d.TotalMinutes).ToString(CultureInfo.InvariantCulture);

    /// <summary>What a calendar event of an occurrence says: how often, who chairs, the bulletin.</summary>
    public static string CalendarDescription(MeetingOccurrence o)
    {
        var m = o.Meeting;
        var text = $"{Schedule(m)}.";
        if (o.Moved) text += $" Moved from {Date.Format(o.Date)}.";
        if (m.Chairs.Count > 0) text += $" Chairs: {People(m.Chairs)}.";
        if (m.Secretaries.Count > 0) text += $" Secretaries: {People(m.Secretaries)}.";
        return text + (m.HasBulletin ? $" The bulletin is posted {Lead(m.BulletinLead)} before." : "");
    }

    public static LocalDate Today(Meeting m, DateTimeOffset now) => Instant.FromDateTimeOffset(now).InZone(m.Zone).Date;
}
