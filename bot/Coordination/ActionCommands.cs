using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary>
/// <c>/action add|done|reassign|due</c> and <c>/actions</c>. Anyone with a role adds an action; its owner or a
/// coordinator closes it, reassigns it or moves its due date. Every change goes into the action's history and
/// re-plans its reminders.
/// </summary>
public static class ActionCommands
{
    public static readonly IReadOnlyList<string> Usage =
    [
        "/action add owner=USER due=YYYY-MM-DD \"what\" [meeting=\"NAME\"] [taskforce=NAME]",
        "/action done A12 [note=\"…\"]",
        "/action reassign A12 owner=USER",
        "/action due A12 YYYY-MM-DD",
    ];

    public static CommandDefinition Action(ActionReminders reminders, MeetingCatalog meetings, Notices.Outbox outbox) => new("action", "Everyone", Usage,
        "add an action with an owner and a due date; close it, reassign it or move its due date", Writes: true,
        s => RunAsync(s, reminders, meetings, outbox));

    public static CommandDefinition Actions(ActionList list) => new("actions", "Everyone", ["/actions [mine|open|overdue]"],
        "the action list: open actions (or yours, or the overdue ones), with owners and due dates", Writes: false,
        s => ListAsync(s, list));

    private static async Task<Reply> RunAsync(CommandSession s, ActionReminders reminders, MeetingCatalog meetings, Notices.Outbox outbox)
    {
        var verb = s.Command.Verb;
        if (verb is not ("add" or "done" or "reassign" or "due"))
            return Refusals.Problem("Say what to do: add, done, reassign or due.", Usage);
        if (s.Caller.Roles.Count == 0)
            return Refusals.Role(s.Caller, "people with a role", "keep the action list");
        if (verb == "add") return await AddAsync(s, reminders, meetings, outbox);

        if (s.Command.Positionals.Count < 2 || !TryNumber(s.Command.Positionals[1], out var id))
            return Refusals.Problem("Which action? Give its number, like `A12`.", Usage, $"/action {verb}");
        var action = await s.Db.ActionItems.FirstOrDefaultAsync(a => a.Id == id, s.Ct);
        if (action is null) return Reply.No($"There is no action A{id}. `/actions` lists the open ones.");
        if (action.OwnerId != s.Caller.UserId && !s.Caller.IsCoordinator)
            return Refusals.Role(s.Caller, $"its owner ({action.OwnerId}) or coordinators", $"change action {action.Number}");
        if (!action.IsOpen) return Reply.No($"Action {action.Number} was done on {action.DoneAt:yyyy-MM-dd}; add a new one if there is more to do.");

        CoordinationChange change;
        switch (verb)
        {
            case "done":
            {
                var input = new CommandInput(s.Command, "note");
                if (!input.IsValid) return input.Refusal(Usage, "/action done");
                action.DoneAt = s.Now;
                action.DoneBy = s.Caller.UserId;
                action.DoneNote = input.Optional("note");
                change = new ActionDone(action.DoneNote);
                break;
            }
            case "reassign":
            {
                var input = new CommandInput(s.Command, "owner");
                var owner = Person(input.Required("owner", "the chat user id of the new owner"));
                if (owner == action.OwnerId) input.Problem($"{owner} already owns {action.Number}.");
                if (!input.IsValid) return input.Refusal(Usage, "/action reassign");
                change = new ActionReassigned(action.OwnerId, owner);
                action.OwnerId = owner;
                break;
            }
            default:
            {
                var input = new CommandInput(s.Command, "due");
                var typed = s.Command.Positionals.Count > 2 ? s.Command.Positionals[2] : input.Required("due", "the new due date, YYYY-MM-DD");
                var due = DueOrProblem(input, typed, s.Now);
                if (due == action.Due) input.Problem($"{action.Number} is already due {typed}.");
                if (!input.IsValid) return input.Refusal(Usage, "/action due");
                change = new ActionDueMoved(action.Due, due!.Value);
                action.Due = due.Value;
                break;
            }
        }
        CoordinationHistory.Record(s.Db, action.Subject, change, s.Actor, s.Now);
        await reminders.ScheduleAsync(s.Db, action, s.Now, s.Ct);
        return $"Action {action.Number}: {CoordinationHistory.Sentence(change)}.";
    }

    private static async Task<Reply> AddAsync(CommandSession s, ActionReminders reminders, MeetingCatalog meetings, Notices.Outbox outbox)
    {
        var input = new CommandInput(s.Command, "owner", "due", "meeting", "taskforce");
        var owner = Person(input.Required("owner", "the chat user id of who does it, like owner=u-alice"));
        var typedDue = input.Required("due", "the due date, like due=2026-12-17");
        var due = typedDue.Length == 0 ? null : DueOrProblem(input, typedDue, s.Now);
        var text = string.Join(' ', s.Command.Positionals.Skip(1)).Trim();
        if (text.Length == 0) input.Problem("Say what is to be done, in quotes after the fields.");
        long? meetingId = null;
        if (input.Optional("meeting") is { } name)
        {
            var all = await meetings.AllAsync(s.Db, s.Ct);
            var meeting = all.FirstOrDefault(m => StoredMeeting.Key(m.Name) == StoredMeeting.Key(name));
            if (meeting is null) input.Problem($"There is no meeting '{name}'. Meetings: {MeetingCommands.Names(all)}.");
            meetingId = meeting?.Id;
        }
        long? forceId = null;
        if (input.Optional("taskforce") is { } force)
        {
            forceId = await TaskForceNames.IdAsync(s.Db, force, s.Ct);
            if (forceId is null) input.Problem($"There is no task force '{force}'. `/taskforces` lists them.");
        }
        if (!input.IsValid) return input.Refusal(Usage, "/action add");

        var action = new ActionItem
        {
            Text = text, OwnerId = owner, Due = due!.Value, MeetingId = meetingId, TaskForceId = forceId, CreatedBy = s.Caller.UserId, CreatedAt = s.Now,
        };
        s.Db.ActionItems.Add(action);
        await s.Db.SaveChangesAsync(s.Ct);
        CoordinationHistory.Record(s.Db, action.Subject, new ActionAdded(text, owner, action.Due, input.Optional("meeting"), input.Optional("taskforce")), s.Actor, s.Now);
        await reminders.ScheduleAsync(s.Db, action, s.Now, s.Ct);
        if (forceId is { } f && await s.Db.TaskForces.FirstOrDefaultAsync(t => t.Id == f, s.Ct) is { } team)
            await TaskForceCommands.TellRoomAsync(s.Db, outbox, team, $"{team.Name}: new action {action.Number} for {owner}, due {action.Due:yyyy-MM-dd}: {text}",
                $"{action.Subject}:taskforce", s.Ct);
        return $"Action {action.Number} for {owner}, due {action.Due:ddd d MMM yyyy}: {text}. " +
            "They are reminded the working day before, and again if it is overdue.";
    }

    private static async Task<Reply> ListAsync(CommandSession s, ActionList list)
    {
        var which = s.Command.Verb ?? "open";
        if (which is not ("open" or "mine" or "overdue")) return Reply.No("Say `/actions`, `/actions mine` or `/actions overdue`.");
        var lines = await list.OpenAsync(s.Db, s.Now, s.Ct, which == "mine" ? s.Caller.UserId : null);
        if (which == "overdue") lines = lines.Where(l => l.Overdue).ToList();
        var title = which switch { "mine" => "Your open actions", "overdue" => "Overdue actions", _ => "Open actions" };
        if (lines.Count == 0) return $"{title}: none.";
        var text = new StringBuilder($"**{title}** ({lines.Count})\n");
        foreach (var l in lines) text.Append("- ").Append(l.Chat).Append('\n');
        return text.ToString();
    }

    private static DateOnly? DueOrProblem(CommandInput input, string typed, DateTimeOffset now)
    {
        if (SchedulingOptionsValidator.Date(typed) is not { } due)
        {
            input.Problem($"`{typed}` is not a date: give it as YYYY-MM-DD.");
            return null;
        }
        // Today in the earliest zone still counts, so nobody is refused a date that is today where the owner is.
        if (due < Instant.FromDateTimeOffset(now).InUtc().Date.PlusDays(-1)) input.Problem($"The due date {typed} is in the past.");
        return due.ToDateOnly();
    }

    private static string Person(string typed) => typed.Trim().TrimStart('@');

    private static bool TryNumber(string typed, out long id) =>
        long.TryParse(typed.TrimStart('A', 'a', '#'), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
}
