using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/deadlines</c>: what is due and overdue, read from the reminders the timers keep — acceptance deadlines, each
/// accepted site's report, Table 3 step targets — and the next bulletin of each meeting. Anyone may ask; a restricted
/// ticket shows only to those who may see it, exactly as in <c>/tickets</c>.
/// </summary>
public static class Deadlines
{
    public static readonly IReadOnlyList<string> Usage = ["/deadlines"];

    public static CommandDefinition Definition(MeetingCatalog meetings) => new(
        "deadlines", "Everyone", Usage, "what is due and overdue: acceptances, reports, Table 3 targets, bulletins", Writes: false,
        s => RunAsync(s, meetings));

    private static async Task<Reply> RunAsync(CommandSession s, MeetingCatalog catalog)
    {
        var ct = s.Ct;
        var open = TicketStates.Open;
        var tickets = await s.VisibleTickets().Include(t => t.Participations)
            .Where(t => open.Contains(t.State)).ToDictionaryAsync(t => TicketTimers.Subject(t.Id), ct);
        var subjects = tickets.Keys.ToList();
        var reminders = await s.Db.Reminders.AsNoTracking()
            .Where(r => subjects.Contains(r.Subject) && (r.State == ReminderState.Pending || r.State == ReminderState.Fired))
            .OrderBy(r => r.DueAt).ToListAsync(ct);

        var overdue = new List<string>();
        var due = new List<string>();
        foreach (var r in reminders)
        {
            var t = tickets[r.Subject];
            var line = Line(t, r);
            if (line is null) continue;
            (r.State == ReminderState.Fired ? overdue : due).Add($"- {line} — {(r.State == ReminderState.Fired ? "was due" : "due")} {TicketCommand.When(r.DueAt)}");
        }

        var text = new StringBuilder();
        text.Append(overdue.Count == 0 ? "Nothing is overdue." : $"Overdue:\n{string.Join('\n', overdue.Distinct())}");
        text.Append(due.Count == 0 ? "\nNothing else is due." : $"\nDue:\n{string.Join('\n', due)}");
        var meetings = catalog.All;
        foreach (var meeting in meetings)
            text.Append($"\nNext bulletin for {meeting.Name}: {TicketCommand.When(meeting.OccurrencesAfter(s.Now).First().BulletinAt)}");
        return text.ToString();
    }

    /// <summary>The line for a reminder that still means something, or null once its moment has passed (accepted, reported, step done).</summary>
    private static string? Line(Ticket t, Reminder r)
    {
        var what = TicketTimerRules.Describe(t);
        switch (r.Rule)
        {
            case TicketTimerRules.Acceptance when r.Payload == "1" && t.State == TicketState.Verified && t.Participations.Count == 0:
                return $"{what}: a site to accept it";
            case TicketTimerRules.ReportOverdue when t.Participations.FirstOrDefault(p => p.SiteId == r.SiteId) is { IsOpen: true } p:
                return $"{what}: {p.SiteName}'s report";
            case TicketTimerRules.Target when r.Payload is { } step && TicketTimerRules.StepState.GetValueOrDefault(step) == t.State
                && TicketTimerRules.StepState.ContainsKey(step):
                return $"{what}: Table 3 target for the {step} step";
            default:
                return null;
        }
    }
}
