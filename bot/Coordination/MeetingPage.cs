using System.Text;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>One meeting as <c>/meeting show</c> writes it: its schedule, people, room and next occurrences.</summary>
public sealed class MeetingPage
{
    public Task<string> ChatAsync(RolloutDb db, Meeting m, DateTimeOffset now, CancellationToken ct)
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
        return Task.FromResult(text.ToString());
    }
}
