using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/deadlines</c>: what is due and overdue, read from the reminders the timers keep — acceptance deadlines, each
/// accepted site's report, Table 3 step targets and totals — what waits for the coordinators (ready to close) and for
/// the repository managers (packages to move to production), and the next bulletin of each meeting. Anyone may ask; a restricted
/// ticket shows only to those who may see it, exactly as in <c>/tickets</c>.
/// </summary>
public static class Deadlines
{
    public static readonly IReadOnlyList<string> Usage = ["/deadlines"];

    public static CommandDefinition Definition(Coordination.MeetingCatalog meetings) => new(
        "deadlines", "Everyone", Usage, "what is due and overdue: acceptances, reports, Table 3 targets, bulletins", Writes: false,
        s => RunAsync(s, meetings));

    private static async Task<Reply> RunAsync(CommandSession s, Coordination.MeetingCatalog catalog)
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
        var waiting = Waiting(tickets.Values).ToList();
        if (waiting.Count > 0) text.Append($"\nWaiting for the coordinators:\n{string.Join('\n', waiting)}");
        var production = await s.VisibleTickets().Where(t => t.State == TicketState.Closed && t.ProductionRepositoryUrl == null
                && (t.Outcome == Outcome.Success || t.Outcome == Outcome.Warning))
            .OrderBy(t => t.Id).ToListAsync(ct);
        if (production.Count > 0)
            text.Append("\nWaiting for the repository managers:\n" + string.Join('\n', production.Select(t =>
                $"- {TicketTimerRules.Describe(t)}: packages to move to production, then `/production {t.Number} repo=URL`")));
        var meetings = await catalog.AllAsync(s.Db, ct);
        foreach (var meeting in meetings.Where(m => m.HasBulletin))
            if (meeting.OccurrencesAfter(s.Now).FirstOrDefault() is { } next)
                text.Append($"\nNext bulletin for {meeting.Name}: {TicketCommand.When(next.BulletinAt)}");
        return text.ToString();
    }

    /// <summary>§2.4 3.7: open tickets no site is working on any more, which only a coordinator can move on.</summary>
    private static IEnumerable<string> Waiting(IEnumerable<Ticket> tickets)
    {
        foreach (var t in tickets.OrderBy(t => t.Id))
        {
            if (t.IsReadyToClose)
                yield return $"- {TicketTimerRules.Describe(t)}: ready to close, every accepted site is done — " +
                    $"`/close {t.Number} outcome=success|warning|reject summary=\"…\"`";
            else if (t.State == TicketState.RollingOut && t.HasNoPartner)
                yield return $"- {TicketTimerRules.Describe(t)}: every site that accepted it was withdrawn — `/ask`, `/call` or close it with reject";
        }
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
            case TicketTimerRules.Target when TicketTimerRules.InStep(r.Payload, t.State):
                return $"{what}: Table 3 target for {TicketTimerRules.StepLabel(r.Payload!)}";
            default:
                return null;
        }
    }
}
