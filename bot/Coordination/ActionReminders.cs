using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>
/// An action's two reminders, on its owner's working calendar: the morning of the working day before it is due, and
/// the morning of the first working day after it (overdue). The payload carries owner and due date, so a reminder
/// left from before a reassignment or a new due date says nothing.
/// </summary>
public sealed class ActionReminders(ReminderRunner reminders, WorkingCalendars calendars, Outbox outbox)
{
    public const string DueSoon = "action.due-soon", Overdue = "action.overdue";

    /// <summary>Replaces the pending reminders of <paramref name="action"/> for its current owner and due date, inside the command's transaction.</summary>
    public async Task ScheduleAsync(RolloutDb db, ActionItem action, DateTimeOffset now, CancellationToken ct)
    {
        await CancelAsync(db, action, ct);
        if (!action.IsOpen) return;
        var calendar = await OwnerCalendars.ForAsync(db, calendars, action.OwnerId, ct);
        var due = LocalDate.FromDateOnly(action.Due);
        var dayBefore = due.PlusDays(-1);
        while (!calendar.IsWorkingDay(dayBefore)) dayBefore = dayBefore.PlusDays(-1);
        var soon = calendar.ToInstant(dayBefore + calendar.DayStart);
        var payload = $"{action.OwnerId} {action.Due:yyyy-MM-dd}";
        if (soon > now) await reminders.ScheduleInAsync(db, action.Subject, null, DueSoon, soon, payload, ct);
        var late = calendar.ToInstant(calendar.NextWorkingDay(due) + calendar.DayStart);
        await reminders.ScheduleInAsync(db, action.Subject, null, Overdue, late, payload, ct);
    }

    public async Task CancelAsync(RolloutDb db, ActionItem action, CancellationToken ct)
    {
        await reminders.CancelInAsync(db, action.Subject, DueSoon, ct: ct);
        await reminders.CancelInAsync(db, action.Subject, Overdue, ct: ct);
    }

    public async Task FireAsync(ReminderFiring f, bool overdue)
    {
        var id = long.Parse(f.Reminder.Subject["action:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var action = await f.Db.ActionItems.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, f.Cancellation);
        if (action is null || !action.IsOpen || f.Reminder.Payload != $"{action.OwnerId} {action.Due:yyyy-MM-dd}") return;
        var text = overdue
            ? $"Action {action.Number} was due {action.Due:ddd d MMM yyyy} and is still open: {action.Text}. " +
              $"Say `/action done {action.Number}` when it is, or ask the meeting for a new date (`/action due {action.Number} YYYY-MM-DD`)."
            : $"Reminder: action {action.Number} is due {action.Due:ddd d MMM yyyy}, the next working day: {action.Text}. " +
              $"`/action done {action.Number}` closes it.";
        await outbox.AddAsync(f.Db, $"{action.Subject}:{(overdue ? "overdue" : "due-soon")}:{action.OwnerId}:{action.Due:yyyy-MM-dd}",
            NoticeRecipient.User(action.OwnerId), text, f.Cancellation);
    }
}
