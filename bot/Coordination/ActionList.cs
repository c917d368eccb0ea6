using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Status;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>An open action with where it came from and whether it is overdue on its owner's calendar.</summary>
public sealed record ActionLine(ActionItem Action, string? Meeting, string? TaskForce, bool Overdue)
{
    public string Chat => $"{Action.Number} {Action.OwnerId}, due {Action.Due:ddd d MMM}{(Overdue ? " (overdue)" : "")}: {Action.Text}" +
        (Meeting is null ? "" : $" [{Meeting}]") + (TaskForce is null ? "" : $" [task force {TaskForce}]");
}

/// <summary>The open actions as the commands, the bulletin, the status page and the calendar show them.</summary>
public sealed class ActionList(WorkingCalendars calendars)
{
    public async Task<List<ActionLine>> OpenAsync(RolloutDb db, DateTimeOffset now, CancellationToken ct, string? owner = null)
    {
        var query = db.ActionItems.AsNoTracking().Where(a => a.DoneAt == null);
        if (owner is not null) query = query.Where(a => a.OwnerId == owner);
        var actions = await query.OrderBy(a => a.Due).ThenBy(a => a.Id).ToListAsync(ct);
        return await LinesAsync(db, actions, now, ct);
    }

    public async Task<List<ActionLine>> LinesAsync(RolloutDb db, IReadOnlyList<ActionItem> actions, DateTimeOffset now, CancellationToken ct)
    {
        var meetingIds = actions.Where(a => a.MeetingId != null).Select(a => a.MeetingId!.Value).Distinct().ToList();
        var meetings = await db.Meetings.AsNoTracking().Where(m => meetingIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var forceIds = actions.Where(a => a.TaskForceId != null).Select(a => a.TaskForceId!.Value).Distinct().ToList();
        var forces = await TaskForceNames.OfAsync(db, forceIds, ct);
        var owners = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);
        var lines = new List<ActionLine>();
        foreach (var a in actions)
        {
            if (!owners.TryGetValue(a.OwnerId, out var calendar))
                owners[a.OwnerId] = calendar = await OwnerCalendars.ForAsync(db, calendars, a.OwnerId, ct);
            lines.Add(new ActionLine(a, a.MeetingId is { } m ? meetings.GetValueOrDefault(m) : null,
                a.TaskForceId is { } f ? forces.GetValueOrDefault(f) : null, a.IsOverdue(calendar, now)));
        }
        return lines;
    }

    /// <summary>The bulletin's section: open actions, overdue first; null when there are none.</summary>
    public async Task<string?> BulletinAsync(Bulletins.BulletinContext c)
    {
        var open = await OpenAsync(c.Db, c.Now, c.Ct);
        var restricted = await PublicText.RestrictedAmongAsync(c.Db, open.Select(l => l.Action.Text), c.Ct);
        var overdue = open.Where(l => l.Overdue).ToList();
        var text = new StringBuilder("\n");
        text.Append(open.Count == 0 ? "No open actions.\n" : $"**Open actions** ({open.Count}, {overdue.Count} overdue):\n");
        foreach (var l in overdue.Concat(open.Where(l => !l.Overdue)))
            text.Append("- ").Append(PublicText.Scrub(l.Chat, restricted)).Append('\n');
        return text.ToString();
    }

    /// <summary>The status page's section (HTML, escaped here).</summary>
    public async Task<string?> StatusAsync(StatusContext c)
    {
        var open = await OpenAsync(c.Db, c.Now, c.Ct);
        var restricted = await PublicText.RestrictedAmongAsync(c.Db, open.Select(l => l.Action.Text), c.Ct);
        var html = new StringBuilder($"<h2>Open actions ({open.Count})</h2>");
        if (open.Count == 0) return html.Append("<p>None.</p>").ToString();
        html.Append("<table><tr><th>#</th><th>Owner</th><th>Due</th><th>Action</th><th>From</th></tr>");
        foreach (var l in open)
            html.Append($"<tr><td>{E(l.Action.Number)}</td><td>{E(l.Action.OwnerId)}</td>")
                .Append($"<td class=\"{(l.Overdue ? "late" : "")}\">{E(l.Action.Due.ToString("yyyy-MM-dd"))}{(l.Overdue ? " (overdue)" : "")}</td>")
                .Append($"<td>{E(PublicText.Scrub(l.Action.Text, restricted))}</td><td>{E(l.Meeting ?? (l.TaskForce is { } f ? $"task force {f}" : "–"))}</td></tr>");
        return html.Append("</table>").ToString();
    }

    /// <summary>Calendar events: each open action at the end of its due day, on its owner's calendar.</summary>
    public async Task<IReadOnlyList<CalendarEvent>> CalendarAsync(CalendarContext c)
    {
        var open = await OpenAsync(c.Db, c.Now, c.Ct);
        var restricted = await PublicText.RestrictedAmongAsync(c.Db, open.Select(l => l.Action.Text), c.Ct);
        var events = new List<CalendarEvent>();
        foreach (var l in open)
        {
            var calendar = await OwnerCalendars.ForAsync(c.Db, calendars, l.Action.OwnerId, c.Ct);
            var start = calendar.ToInstant(LocalDate.FromDateOnly(l.Action.Due) + calendar.DayEnd.PlusMinutes(-30));
            events.Add(new CalendarEvent($"action-{l.Action.Id}@{c.Authority}", start, TimeSpan.FromMinutes(30),
                $"Action due: {l.Action.Number} ({l.Action.OwnerId})", PublicText.Scrub(l.Action.Text, restricted), $"{c.BaseUrl}/status"));
        }
        return events;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
