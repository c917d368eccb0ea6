using System.Globalization;
using System.Text;

namespace Rollout.Bot.Status;

/// <summary>One calendar entry; <see cref="Uid"/> is derived from what it is about, so it is the same on every fetch.</summary>
public sealed record CalendarEvent(string Uid, DateTimeOffset Start, TimeSpan Duration, string Summary, string? Description, string? Url)
{
    public string? Location { get; init; }
}

/// <summary>
/// Writes iCalendar (RFC 5545) by hand: CRLF line ends, lines folded at 75 octets without splitting a UTF-8
/// character, TEXT values escaped (backslash, semicolon, comma, newline), times in UTC.
/// </summary>
public static class ICalendarFile
{
    public static string Render(IEnumerable<CalendarEvent> events, DateTimeOffset stamp)
    {
        var ics = new StringBuilder();
        void Line(string text) => ics.Append(Fold(text)).Append("\r\n");
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//Rollout.Bot//Staged rollout calendar//EN");
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:PUBLISH");
        Line("X-WR-CALNAME:Staged rollout");
        foreach (var e in events)
        {
            Line("BEGIN:VEVENT");
            Line("UID:" + e.Uid);
            Line("DTSTAMP:" + Stamp(stamp));
            Line("DTSTART:" + Stamp(e.Start));
            Line("DTEND:" + Stamp(e.Start + e.Duration));
            Line("SUMMARY:" + Escape(e.Summary));
            if (e.Description is not null) Line("DESCRIPTION:" + Escape(e.Description));
            if (e.Location is not null) Line("LOCATION:" + Escape(e.Location));
            if (e.Url is not null) Line("URL:" + e.Url);
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return ics.ToString();
    }

    public static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string Escape(string text) => text
        .Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\n", StringComparison.Ordinal);

    /// <summary>Splits a content line into chunks of at most 75 octets; continuation lines start with one space.</summary>
    public static string Fold(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        if (bytes.Length <= 75) return line;
        var folded = new StringBuilder();
        var start = 0;
        var limit = 75;
        while (start < bytes.Length)
        {
            var end = Math.Min(start + limit, bytes.Length);
            // Never cut inside a multi-byte character: back up to the start of one (a byte not 10xxxxxx).
            while (end < bytes.Length && (bytes[end] & 0xC0) == 0x80) end--;
            if (start > 0) folded.Append("\r\n ");
            folded.Append(Encoding.UTF8.GetString(bytes, start, end - start));
            start = end;
            limit = 74; // the leading space of a continuation line counts toward its 75 octets
        }
        return folded.ToString();
    }
}
