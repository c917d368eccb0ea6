using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Turns a ticket command's history lines into reminders (seed 002 §2.4 steps 3.2–3.8, Table 3), in the command's own
/// transaction: verified → acceptance deadline and the verification target; a site accepting → its report due and
/// reminder, the nags cancelled; a report or withdrawal → that site's reminders cancelled; a step starting → a check at
/// its Table 3 target. The history is the one record of what changed, so this never second-guesses the commands.
/// </summary>
public sealed class TicketTimers(ReminderRunner reminders, WorkingCalendars calendars)
{
    public static string Subject(long ticketId) => $"ticket:{ticketId}";

    public async Task OnTicketChangedAsync(TicketSession session, CancellationToken ct)
    {
        var db = session.Db;
        // Commands save before they answer, so this session's lines are the tracked ones stamped with its time.
        var changed = db.ChangeTracker.Entries<Ticket>().Select(e => e.Entity)
            .Select(t => (Ticket: t, Lines: t.History.Where(h => h.At == session.Now).ToList()))
            .Where(x => x.Lines.Count > 0).ToList();
        if (changed.Count == 0) return;
        foreach (var (ticket, lines) in changed)
            foreach (var line in lines)
                await OnLineAsync(db, ticket, line, session.Now, ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task OnLineAsync(Storage.RolloutDb db, Ticket ticket, TicketHistory line, DateTimeOffset now, CancellationToken ct)
    {
        var subject = Subject(ticket.Id);
        var timeline = ReleaseTimelines.Table3[ticket.Type.ToName()];
        if (line.What == "created")
            await TargetAsync(db, ticket, TicketTimerRules.Repository, timeline.Repository, now, ct);
        else if (line.What == "state")
        {
            switch (line.To)
            {
                case "unverified":
                    await TargetAsync(db, ticket, TicketTimerRules.Verification, timeline.Verification, now, ct);
                    break;
                case "verified":
                    var channel = await calendars.ForChannelAsync(db, ct);
                    await reminders.ScheduleInAsync(db, subject, null, TicketTimerRules.Acceptance,
                        ReleaseTimelines.Acceptance.DeadlineFrom(now, channel), "1", ct);
                    break;
                case "rolling-out":
                    await reminders.CancelInAsync(db, subject, TicketTimerRules.Acceptance, null, ct);
                    var cal = await calendars.ForChannelAsync(db, ct);
                    var stepEnd = timeline.StagedRollout.DeadlineFrom(now, cal);
                    await ScheduleTargetAt(db, ticket, TicketTimerRules.StagedRollout, After(stepEnd, timeline.GracePeriod, cal), ct);
                    break;
                case "closed" or "rejected":
                    foreach (var rule in TicketTimerRules.All) await reminders.CancelInAsync(db, subject, rule, null, ct);
                    break;
            }
        }
        else if (line.What == "site accepted" && ticket.Participations.FirstOrDefault(p => p.SiteName == line.To) is { } part)
            await ScheduleReportAsync(db, ticket, part, timeline, ct);
        else if (line.What.StartsWith("site ", StringComparison.Ordinal) && (line.What.EndsWith(" done", StringComparison.Ordinal) || line.What.EndsWith(" withdrawn", StringComparison.Ordinal)))
        {
            var name = line.What["site ".Length..line.What.LastIndexOf(' ')];
            if (ticket.Participations.FirstOrDefault(p => p.SiteName == name) is { } site)
            {
                await reminders.CancelInAsync(db, subject, TicketTimerRules.ReportReminder, site.SiteId, ct);
                await reminders.CancelInAsync(db, subject, TicketTimerRules.ReportOverdue, site.SiteId, ct);
            }
        }
        else if (line.What == "acceptance snoozed" && line.To is { } until && DateOnly.TryParseExact(until, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            await reminders.CancelInAsync(db, subject, TicketTimerRules.Acceptance, null, ct);
            var channel = await calendars.ForChannelAsync(db, ct);
            var resume = channel.ToInstant(channel.NextWorkingDay(NodaTime.LocalDate.FromDateOnly(date)) + channel.DayStart);
            var fired = await db.Reminders.CountAsync(r => r.Subject == subject && r.Rule == TicketTimerRules.Acceptance && r.State == ReminderState.Fired, ct);
            await reminders.ScheduleInAsync(db, subject, null, TicketTimerRules.Acceptance, resume, (fired + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        }
    }

    /// <summary>Report due: the staged-rollout time of the release type plus the grace period, on the site's calendar; a reminder one working day before.</summary>
    private async Task ScheduleReportAsync(Storage.RolloutDb db, Ticket ticket, Participation part, ReleaseTimeline timeline, CancellationToken ct)
    {
        var cal = await calendars.ForSiteAsync(db, part.SiteId, ct);
        var stepEnd = timeline.StagedRollout.DeadlineFrom(part.AcceptedAt, cal);
        var due = After(stepEnd, timeline.GracePeriod, cal);
        if (timeline.GracePeriod.WorkingDays >= 1)
            await reminders.ScheduleInAsync(db, Subject(ticket.Id), part.SiteId, TicketTimerRules.ReportReminder,
                cal.AddWorkingDays(stepEnd, timeline.GracePeriod.WorkingDays - 1), null, ct);
        await reminders.ScheduleInAsync(db, Subject(ticket.Id), part.SiteId, TicketTimerRules.ReportOverdue, due, null, ct);
    }

    private static DateTimeOffset After(DateTimeOffset start, TimeTarget grace, WorkingCalendar cal) =>
        grace.WorkingDays == 0 && grace.WallClock is null ? start : grace.DeadlineFrom(start, cal);

    private async Task TargetAsync(Storage.RolloutDb db, Ticket ticket, string step, TimeTarget target, DateTimeOffset now, CancellationToken ct) =>
        await ScheduleTargetAt(db, ticket, step, target.DeadlineFrom(now, await calendars.ForChannelAsync(db, ct)), ct);

    private Task<bool> ScheduleTargetAt(Storage.RolloutDb db, Ticket ticket, string step, DateTimeOffset at, CancellationToken ct) =>
        reminders.ScheduleInAsync(db, Subject(ticket.Id), null, TicketTimerRules.Target, at, step, ct);
}
