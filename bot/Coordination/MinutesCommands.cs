using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Status;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>
/// <c>/minutes</c>: a secretary of the meeting (or a coordinator) records the minutes of an occurrence from chat, the
/// text on the lines after the command, decisions marked "Decision:". Kept per occurrence, published under
/// <c>/status/minutes/N</c>, in the Atom feed, and linked with their decisions from the meeting's next bulletin.
/// </summary>
public static class MinutesCommands
{
    public static readonly IReadOnlyList<string> Usage =
    [
        "/minutes \"MEETING\" [date=YYYY-MM-DD]",
        "/minutes record meeting=\"MEETING\" [date=YYYY-MM-DD]  (then the minutes on the next lines; \"Decision: …\" lines are decisions)",
    ];

    public static CommandDefinition Definition(MeetingCatalog catalog) => new("minutes", "Everyone", Usage,
        "the minutes of a meeting; its secretaries record them (decisions marked)", Writes: true, s => RunAsync(s, catalog));

    private static async Task<Reply> RunAsync(CommandSession s, MeetingCatalog catalog)
    {
        // Only the first line is the command: the minutes below it may hold anything, key=value words included.
        var lines = s.Command.Raw.Replace("\r\n", "\n").Split('\n');
        var head = CommandParser.Parse(lines[0]).Command ?? s.Command;
        var record = head.Verb == "record";
        var found = await MeetingCommands.FindAsync(s, catalog, position: head.Verb is "record" or "show" ? 1 : 0, head);
        if (found.Meeting is not { } meeting) return found.Refusal!;
        var input = new CommandInput(head, "meeting", "name", "date");
        var occurrence = Occurrence(input, meeting, s.Now);
        if (!input.IsValid || occurrence is null)
            return input.IsValid ? Reply.No($"**{meeting.Name}** has not met yet, so there are no minutes to keep.") : input.Refusal(Usage);
        var date = occurrence.Date.ToDateOnly();
        var stored = await s.Db.MeetingMinutes.FirstOrDefaultAsync(m => m.MeetingId == meeting.Id && m.Date == date, s.Ct);
        if (!record)
            return stored is null ? $"No minutes of **{meeting.Name}**, {MeetingText.Occurrence(occurrence)}, yet." : Chat(meeting, occurrence, stored);

        if (!meeting.Secretaries.Contains(s.Caller.UserId, StringComparer.Ordinal) && !s.Caller.IsCoordinator)
            return Refusals.Role(s.Caller, $"the secretaries of {meeting.Name} ({MeetingText.People(meeting.Secretaries)}) or coordinators", "record its minutes");
        var text = string.Join('\n', lines.Skip(1)).Trim();
        if (text.Length == 0)
            return Refusals.Problem("Write the minutes on the lines after the command (Shift+Enter for a new line); mark decisions with \"Decision:\".", Usage, "/minutes record");
        var replaced = stored is not null;
        stored ??= s.Db.MeetingMinutes.Add(new MeetingMinutes
        {
            MeetingId = meeting.Id, Date = date, MeetingAt = occurrence.Start, Text = text, RecordedBy = s.Caller.UserId,
            RecordedByName = s.Caller.Name, RecordedAt = s.Now,
        }).Entity;
        (stored.Text, stored.RecordedBy, stored.RecordedByName, stored.RecordedAt) = (text, s.Caller.UserId, s.Caller.Name, s.Now);
        await s.Db.SaveChangesAsync(s.Ct);
        CoordinationHistory.Record(s.Db, $"meeting:{meeting.Id}", new MinutesRecorded(date, stored.Decisions.Count, replaced), s.Actor, s.Now);
        return $"{(replaced ? "Replaced" : "Recorded")} the minutes of **{meeting.Name}**, {MeetingText.Occurrence(occurrence)}: " +
            $"{stored.Decisions.Count} decision(s). Published at /status/minutes/{stored.Id} and linked from the next bulletin.";
    }

    /// <summary>The occurrence named by date=, or the latest one that has started.</summary>
    private static MeetingOccurrence? Occurrence(CommandInput input, Meeting meeting, DateTimeOffset now)
    {
        if (input.Optional("date") is { } typed)
        {
            if (SchedulingOptionsValidator.Date(typed) is { } d && meeting.Occurrence(d) is { } o) return o;
            input.Problem($"**{meeting.Name}** has no occurrence on `{typed}` (give a date it met on, YYYY-MM-DD).");
            return null;
        }
        return meeting.OccurrencesAfter(now - TimeSpan.FromDays(meeting.MaxGapDays + 7)).TakeWhile(o => o.Start <= now).LastOrDefault();
    }

    private static string Chat(Meeting meeting, MeetingOccurrence o, MeetingMinutes m) =>
        $"**Minutes — {meeting.Name}**, {MeetingText.Occurrence(o)} (recorded by {m.RecordedByName})\n\n{m.Text}";

    /// <summary>The bulletin's link to the minutes of this meeting's previous occurrence, with its decisions.</summary>
    public static async Task<string?> BulletinAsync(Bulletins.BulletinContext c)
    {
        var meeting = c.Occurrence.Meeting;
        if (meeting.Id == 0) return null;
        var start = c.Occurrence.Start;
        var last = await c.Db.MeetingMinutes.AsNoTracking().Where(m => m.MeetingId == meeting.Id && m.MeetingAt < start)
            .OrderByDescending(m => m.MeetingAt).FirstOrDefaultAsync(c.Ct);
        if (last is null) return null;
        var restricted = await PublicText.RestrictedAmongAsync(c.Db, [last.Text], c.Ct);
        var text = new StringBuilder($"\nMinutes of the previous meeting ({last.Date:ddd d MMM}): /status/minutes/{last.Id}\n");
        foreach (var d in last.Decisions) text.Append("- Decision: ").Append(PublicText.Scrub(d, restricted)).Append('\n');
        return text.ToString();
    }

    /// <summary>The public page of one meeting's minutes: escaped, restricted tickets as "#(restricted)", decisions in bold.</summary>
    public static async Task<string?> PageAsync(RolloutDb db, long id, CancellationToken ct)
    {
        var m = await db.MeetingMinutes.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return null;
        var meeting = await db.Meetings.AsNoTracking().Where(x => x.Id == m.MeetingId).Select(x => x.Name).SingleAsync(ct);
        var restricted = await PublicText.RestrictedAmongAsync(db, [m.Text], ct);
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Minutes: ")
            .Append(E(meeting)).Append("</title><style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}.muted{color:#666}</style></head><body>")
            .Append("<p><a href=\"/status\">← Status</a></p><h1>Minutes: ").Append(E(meeting)).Append("</h1><p class=\"muted\">Meeting of ")
            .Append(E(m.Date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture))).Append(", recorded by ").Append(E(m.RecordedByName)).Append("</p>");
        var decisions = m.Decisions;
        if (decisions.Count > 0)
            html.Append("<h2>Decisions</h2><ul>").Append(string.Concat(decisions.Select(d => $"<li><strong>{E(PublicText.Scrub(d, restricted))}</strong></li>"))).Append("</ul>");
        html.Append("<h2>Minutes</h2>");
        foreach (var line in m.Text.Split('\n'))
            html.Append(MeetingMinutes.IsDecision(line) ? $"<p><strong>Decision: {E(PublicText.Scrub(MeetingMinutes.DecisionText(line), restricted))}</strong></p>"
                : line.Trim().Length == 0 ? "" : $"<p>{E(PublicText.Scrub(line, restricted))}</p>");
        return html.Append("</body></html>").ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}

/// <summary>The published minutes as feed entries: one per occurrence, its id fixed by the minutes row, updated when replaced.</summary>
public static class MinutesFeed
{
    public static async Task<IReadOnlyList<FeedEntry>> LoadAsync(FeedContext context)
    {
        var (db, baseUrl, ct) = (context.Db, context.BaseUrl, context.Ct);
        var rows = await db.MeetingMinutes.AsNoTracking().OrderByDescending(m => m.RecordedAt).Take(AtomFeed.Entries)
            .Join(db.Meetings, m => m.MeetingId, x => x.Id, (m, x) => new { m.Id, m.Date, m.RecordedAt, m.Text, x.Name }).ToListAsync(ct);
        var restricted = await PublicText.RestrictedAmongAsync(db, rows.Select(r => r.Text), ct);
        return rows.Select(r =>
        {
            var decisions = r.Text.Split('\n').Where(MeetingMinutes.IsDecision).Select(l => PublicText.Scrub(MeetingMinutes.DecisionText(l), restricted)).ToList();
            return new FeedEntry($"minutes/{r.Id}", $"Minutes: {r.Name}, {r.Date:d MMMM yyyy}", r.RecordedAt, $"{baseUrl}/status/minutes/{r.Id}", "minutes",
                decisions.Count == 0 ? "Minutes of the meeting." : "Decisions: " + string.Join("; ", decisions));
        }).ToList();
    }
}
