using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>One meeting as <c>/meeting show</c> writes it: its schedule, people, room and next occurrences.</summary>
public sealed class MeetingPage
{
    public async Task<string> ChatAsync(RolloutDb db, Meeting m, DateTimeOffset now, CancellationToken ct)
    {
        var text = new StringBuilder().Append("**").Append(m.Name).Append("** — ").Append(MeetingText.Schedule(m)).Append('\n');
        text.Append("Room: ").Append(m.Room ?? "none given").Append(" · chairs: ").Append(MeetingText.People(m.Chairs))
            .Append(" · secretaries: ").Append(MeetingText.People(m.Secretaries)).Append('\n');
        text.Append(m.HasBulletin ? $"Bulletin {MeetingText.Lead(m.BulletinLead)} before, to the `{m.Channel}` channel.\n" : "No bulletin.\n");
        var next = m.OccurrencesAfter(now).Take(5).ToList();
        text.Append(next.Count == 0 ? "\nNo further occurrence.\n" : "\nNext:\n");
        foreach (var o in next) text.Append("- ").Append(MeetingText.Occurrence(o)).Append('\n');
        foreach (var c in m.Changes.Where(c => c.MovedTo is null && c.Date >= MeetingText.Today(m, now)))
            text.Append("- ").Append(MeetingText.Date.Format(c.Date)).Append(": cancelled\n");
        if (next.Count > 0)
            text.Append('\n').Append(AgendaCommands.Render(m, next[0], await AgendaItem.OfAsync(db, m.Id, next[0].Date.ToDateOnly(), ct))).Append('\n');
        var minutes = await db.MeetingMinutes.AsNoTracking().Where(x => x.MeetingId == m.Id).OrderByDescending(x => x.MeetingAt).Take(5)
            .Select(x => new { x.Id, x.Date }).ToListAsync(ct);
        if (minutes.Count > 0)
            text.Append("\nMinutes: ").Append(string.Join(", ", minutes.Select(x => $"{x.Date:yyyy-MM-dd} /status/minutes/{x.Id}"))).Append('\n');
        return text.ToString();
    }
}
