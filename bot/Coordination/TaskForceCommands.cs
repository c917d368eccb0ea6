using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary>
/// <c>/taskforce</c> and <c>/taskforces</c> (seed 003): coordinators create task forces with a mandate, a lead and an
/// end date, set their priority and dissolve them with a closing note; people join and leave; the lead keeps the
/// status line and binds the task force's room, which then hears of its members, status and actions.
/// </summary>
public static class TaskForceCommands
{
    public static readonly IReadOnlyList<string> Usage =
    [
        "/taskforce show NAME",
        "/taskforce create name=NAME mandate=\"…\" lead=USER [until=YYYY-MM-DD]",
        "/taskforce join NAME · /taskforce leave NAME",
        "/taskforce status NAME \"status line\"",
        "/taskforce bind NAME  (in the task force's room)",
        "/taskforce priority NAME N",
        "/taskforce dissolve NAME note=\"closing note\"",
    ];

    public static CommandDefinition TaskForces(TaskForceList list) => new("taskforces", "Everyone", ["/taskforces"],
        "the task forces in priority order, with lead, members, age and status", Writes: false,
        async s => list.Chat(await list.LiveAsync(s.Db, s.Ct), s.Now));

    public static CommandDefinition Definition(TaskForceList list, Outbox outbox) => new("taskforce", "Everyone", Usage,
        "create, join, leave, bind, prioritise or dissolve a task force; its lead sets the status line", Writes: true,
        s => RunAsync(s, list, outbox));

    private static async Task<Reply> RunAsync(CommandSession s, TaskForceList list, Outbox outbox)
    {
        var verb = s.Command.Verb;
        if (verb == "create") return await CreateAsync(s);
        if (verb is not ("show" or "join" or "leave" or "status" or "bind" or "priority" or "dissolve"))
            return Refusals.Problem("Say what to do: show, create, join, leave, status, bind, priority or dissolve.", Usage);
        var name = s.Command.Get("name") ?? (s.Command.Positionals.Count > 1 ? s.Command.Positionals[1] : null);
        if (name is null) return Refusals.Problem("Which task force? Name it after the verb.", Usage, $"/taskforce {verb}");
        var key = StoredMeeting.Key(name);
        var force = await s.Db.TaskForces.Include(t => t.Members).FirstOrDefaultAsync(t => t.NameKey == key && t.DissolvedAt == null, s.Ct);
        if (force is null) return Reply.No($"There is no task force '{name}'. `/taskforces` lists them.");
        if (verb == "show") return list.Show(force, s.Now);

        var isLead = force.LeadId == s.Caller.UserId;
        CoordinationChange change;
        string reply;
        switch (verb)
        {
            case "join":
                if (force.Members.Any(m => m.UserId == s.Caller.UserId && m.LeftAt == null)) return Reply.No($"You are already in the {force.Name} task force.");
                force.Members.Add(new TaskForceMember { UserId = s.Caller.UserId, Name = s.Caller.Name, JoinedAt = s.Now });
                change = new TaskForceJoined(s.Caller.Name);
                reply = $"You joined the {force.Name} task force (lead {force.LeadId}).";
                break;
            case "leave":
                if (force.Members.FirstOrDefault(m => m.UserId == s.Caller.UserId && m.LeftAt == null) is not { } member)
                    return Reply.No($"You are not in the {force.Name} task force.");
                member.LeftAt = s.Now;
                change = new TaskForceLeft(s.Caller.Name);
                reply = $"You left the {force.Name} task force.";
                break;
            case "status":
                if (!isLead && !s.Caller.IsCoordinator) return Refusals.Role(s.Caller, $"its lead ({force.LeadId}) or coordinators", $"set the status of {force.Name}");
                var line = string.Join(' ', s.Command.Positionals.Skip(2)).Trim();
                if (line.Length == 0) return Refusals.Problem("Give the status line, in quotes.", Usage, "/taskforce status");
                (force.Status, force.StatusAt) = (line, s.Now);
                change = new TaskForceStatusSet(line);
                reply = $"{force.Name}: status set.";
                break;
            case "bind":
                if (!isLead && !s.Caller.IsCoordinator) return Refusals.Role(s.Caller, $"its lead ({force.LeadId}) or coordinators", $"bind the room of {force.Name}");
                var stack = force.Id.ToString(CultureInfo.InvariantCulture);
                var old = await s.Db.ChannelBindings.FirstOrDefaultAsync(b => b.Purpose == NoticePurposes.TaskForce && b.Stack == stack, s.Ct);
                if (old is not null) s.Db.ChannelBindings.Remove(old);
                s.Db.ChannelBindings.Add(new ChannelBinding
                {
                    Purpose = NoticePurposes.TaskForce, Stack = stack, ChannelId = s.Chat.ChannelId, ConversationId = s.Chat.ConversationId,
                    TeamsChannelId = s.Chat.TeamsChannelId, TenantId = s.Chat.TenantId, BoundBy = s.Caller.UserId, BoundAt = s.Now,
                });
                change = new TaskForceRoomBound(s.Chat.ConversationId);
                reply = $"This conversation is now the room of the {force.Name} task force: it hears of members, status and actions.";
                break;
            case "priority":
                if (s.Require(Role.Coordinator, "set the priority of task forces") is { } notCoordinator) return notCoordinator;
                if (s.Command.Positionals.Count < 3 || !int.TryParse(s.Command.Positionals[2], NumberStyles.None, CultureInfo.InvariantCulture, out var to) || to < 1)
                    return Refusals.Problem("Give the new position, 1 for the first.", Usage, "/taskforce priority");
                var ordered = (await list.LiveAsync(s.Db, s.Ct, tracked: true)).Where(t => t.Id != force.Id).ToList();
                to = Math.Min(to, ordered.Count + 1);
                var from = force.Priority;
                ordered.Insert(to - 1, force);
                for (var i = 0; i < ordered.Count; i++) ordered[i].Priority = i + 1;
                change = new TaskForcePrioritised(from, to);
                reply = $"{force.Name} is now priority {to}. Order: {string.Join(", ", ordered.Select(t => $"{t.Priority}. {t.Name}"))}.";
                break;
            default:
                if (s.Require(Role.Coordinator, "dissolve task forces") is { } refused) return refused;
                var note = s.Command.Get("note")?.Trim();
                if (string.IsNullOrEmpty(note)) return Refusals.Problem("`note=` is missing: give the closing note, in quotes.", Usage, "/taskforce dissolve");
                (force.DissolvedAt, force.ClosingNote, force.Priority) = (s.Now, note, null);
                change = new TaskForceDissolved(note);
                reply = $"The {force.Name} task force is dissolved after {TaskForceList.Age(force, s.Now)}: {note}";
                break;
        }
        CoordinationHistory.Record(s.Db, force.Subject, change, s.Actor, s.Now);
        await TellRoomAsync(s.Db, outbox, force, $"{force.Name}: {CoordinationHistory.Sentence(change)} ({s.Caller.Name}).", $"{force.Subject}:{change.StoredKind}:{s.Now.UtcTicks}", s.Ct);
        return reply;
    }

    private static async Task<Reply> CreateAsync(CommandSession s)
    {
        if (s.Require(Role.Coordinator, "create task forces (the quarterly planning does)") is { } refused) return refused;
        var input = new CommandInput(s.Command, "name", "mandate", "lead", "until");
        var name = input.Required("name", "the task force's name, like name=SHA-2");
        var mandate = input.Required("mandate", "what it is for, in quotes");
        var lead = input.Required("lead", "the chat user id of its lead").TrimStart('@');
        DateOnly? until = null;
        if (input.Optional("until") is { } typed)
        {
            if (SchedulingOptionsValidator.Date(typed) is { } d && d.ToDateOnly() > DateOnly.FromDateTime(s.Now.UtcDateTime)) until = d.ToDateOnly();
            else input.Problem($"`until={typed}` must be a date to come, YYYY-MM-DD.");
        }
        var key = StoredMeeting.Key(name);
        if (name.Length > 0 && await s.Db.TaskForces.AnyAsync(t => t.NameKey == key && t.DissolvedAt == null, s.Ct))
            input.Problem($"There is already a task force '{name}'.");
        if (!input.IsValid) return input.Refusal(Usage, "/taskforce create");
        var force = new TaskForce
        {
            Name = name, NameKey = key, Mandate = mandate, LeadId = lead, Until = until, CreatedBy = s.Caller.UserId, CreatedAt = s.Now,
        };
        force.Members.Add(new TaskForceMember { UserId = lead, Name = lead, JoinedAt = s.Now });
        s.Db.TaskForces.Add(force);
        await s.Db.SaveChangesAsync(s.Ct);
        CoordinationHistory.Record(s.Db, force.Subject, new TaskForceCreated(name, mandate, lead, until), s.Actor, s.Now);
        return $"Created the **{name}** task force, led by {lead}{(until is { } u ? $" until {u:yyyy-MM-dd}" : "")}: {mandate}. " +
            $"People sign up with `/taskforce join {name}`; its lead binds its room with `/taskforce bind {name}` there.";
    }

    /// <summary>Tells the task force's room, when it has one (an unbound room is not an error: most have none).</summary>
    public static async Task TellRoomAsync(Storage.RolloutDb db, Outbox outbox, TaskForce force, string text, string key, CancellationToken ct)
    {
        var stack = force.Id.ToString(CultureInfo.InvariantCulture);
        if (!await db.ChannelBindings.AnyAsync(b => b.Purpose == NoticePurposes.TaskForce && b.Stack == stack, ct)
            && !db.ChangeTracker.Entries<ChannelBinding>().Any(e => e.State == EntityState.Added && e.Entity.Purpose == NoticePurposes.TaskForce && e.Entity.Stack == stack))
            return;
        await outbox.AddAsync(db, key, NoticeRecipient.Channel(NoticePurposes.TaskForce, stack), text, ct);
    }
}
