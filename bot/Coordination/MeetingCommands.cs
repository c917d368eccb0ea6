using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>
/// <c>/meetings</c> and <c>/meeting show</c> (everyone); <c>/meeting add|set|cancel|move|remove</c> (coordinators):
/// the series and the single occurrences taken out of it.
/// </summary>
public static class MeetingCommands
{
    public static readonly IReadOnlyList<string> Usage =
    [
        "/meeting show \"NAME\"",
        "/meeting add name=\"NAME\" every=daily|weekly|fortnightly|quarterly|once [day=Thursday] time=15:30 length=1:30 [anchor=YYYY-MM-DD] [zone=Europe/Zurich] [room=\"…\"] [chairs=u1,u2] [secretaries=u3] [bulletin=on|off] [lead=02:00] [channel=operations]",
        "/meeting set \"NAME\" [any field of add]",
        "/meeting cancel \"NAME\" date=YYYY-MM-DD [reason=\"…\"]",
        "/meeting move \"NAME\" date=YYYY-MM-DD to=\"YYYY-MM-DD HH:mm\" [reason=\"…\"]",
        "/meeting remove \"NAME\"",
    ];

    private static readonly LocalDateTimePattern[] Starts =
        [LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd HH:mm"), LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd'T'HH:mm")];

    public static CommandDefinition Meetings(MeetingCatalog catalog) => new("meetings", "Everyone", ["/meetings"],
        "the meetings: when, how long, who chairs, their next dates and bulletin times", Writes: false,
        async s => MeetingText.List(await catalog.AllAsync(s.Db, s.Ct), s.Now));

    public static CommandDefinition Meeting(MeetingCatalog catalog, MeetingPage page) => new("meeting", "Coordinator", Usage,
        "add, change, cancel or move a meeting (once or the series); show one with its agenda and minutes", Writes: true,
        s => RunAsync(s, catalog, page));

    private static async Task<Reply> RunAsync(CommandSession s, MeetingCatalog catalog, MeetingPage page)
    {
        var verb = s.Command.Verb;
        if (verb == "show")
        {
            var shown = await FindAsync(s, catalog);
            return shown.Meeting is { } m ? await page.ChatAsync(s.Db, m, s.Now, s.Ct) : shown.Refusal!;
        }
        if (verb is not ("add" or "set" or "cancel" or "move" or "remove"))
            return Refusals.Problem("Say what to do: show, add, set, cancel, move or remove.", Usage);
        if (s.Require(Role.Coordinator, "add, change, cancel, move or remove meetings") is { } refused) return refused;
        if (verb == "add") return await AddAsync(s, catalog);
        var found = await FindAsync(s, catalog);
        if (found.Meeting is not { } meeting) return found.Refusal!;
        var row = await s.Db.Meetings.SingleAsync(r => r.Id == meeting.Id, s.Ct);
        return verb switch
        {
            "set" => Set(s, row),
            "cancel" => await CancelOrMoveAsync(s, row, meeting, move: false),
            "move" => await CancelOrMoveAsync(s, row, meeting, move: true),
            _ => Remove(s, row),
        };
    }

    /// <summary>The meeting named by the second word or by <c>name=</c> (or <c>meeting=</c>).</summary>
    internal static async Task<(Meeting? Meeting, Reply? Refusal)> FindAsync(CommandSession s, MeetingCatalog catalog, int position = 1,
        ParsedCommand? command = null)
    {
        var c = command ?? s.Command;
        var name = c.Get("name") ?? c.Get("meeting") ?? (c.Positionals.Count > position ? c.Positionals[position] : null);
        var all = await catalog.AllAsync(s.Db, s.Ct);
        if (string.IsNullOrWhiteSpace(name))
            return (null, Reply.No($"Which meeting? Name it in quotes. Meetings: {Names(all)}."));
        var meeting = all.FirstOrDefault(m => StoredMeeting.Key(m.Name) == StoredMeeting.Key(name));
        return meeting is null ? (null, Reply.No($"There is no meeting '{name}'. Meetings: {Names(all)}.")) : (meeting, null);
    }

    internal static string Names(IReadOnlyList<Meeting> all) => all.Count == 0 ? "none yet" : string.Join(", ", all.Select(m => $"\"{m.Name}\""));

    private static async Task<Reply> AddAsync(CommandSession s, MeetingCatalog catalog)
    {
        var input = new CommandInput(s.Command, MeetingForm.Keys);
        var name = input.Required("name", "the meeting's name, in quotes");
        input.Required("every", "how often: daily, weekly, fortnightly, quarterly or once");
        input.Required("time", "its local start, like time=15:30");
        var row = new StoredMeeting
        {
            Name = name, NameKey = StoredMeeting.Key(name), TimeZone = catalog.Configured.FirstOrDefault()?.Zone.Id ?? "Europe/Zurich",
            Channel = "operations", Bulletin = true, BulletinLeadMinutes = 120, LengthMinutes = 60, CreatedBy = s.Caller.UserId, CreatedAt = s.Now,
        };
        MeetingForm.Apply(input, row);
        if (name.Length > 0 && await s.Db.Meetings.AnyAsync(m => m.NameKey == row.NameKey && m.RemovedAt == null, s.Ct))
            input.Problem($"There is already a meeting '{name}': change it with `/meeting set \"{name}\" …`.");
        if (!input.IsValid) return input.Refusal(Usage, "/meeting add");
        s.Db.Meetings.Add(row);
        await s.Db.SaveChangesAsync(s.Ct);
        var meeting = row.ToMeeting([], new HashSet<LocalDate>());
        CoordinationHistory.Record(s.Db, $"meeting:{row.Id}", new MeetingAdded(row.Name, MeetingText.Schedule(meeting)), s.Actor, s.Now);
        var next = meeting.OccurrencesAfter(s.Now).FirstOrDefault();
        return $"Added **{row.Name}**: {MeetingText.Schedule(meeting)}; " +
            (next is null ? "it has no occurrence after now." : $"next {MeetingText.Occurrence(next)}.");
    }

    private static Reply Set(CommandSession s, StoredMeeting row)
    {
        var input = new CommandInput(s.Command, MeetingForm.Keys.Where(k => k != "name").ToArray());
        var changes = MeetingForm.Apply(input, row);
        if (!input.IsValid) return input.Refusal(Usage, "/meeting set");
        if (changes.Count == 0) return Reply.No($"That is how **{row.Name}** already is; nothing changed.");
        foreach (var change in changes) CoordinationHistory.Record(s.Db, $"meeting:{row.Id}", change, s.Actor, s.Now);
        return $"**{row.Name}** changed: " + string.Join("; ", changes.Select(CoordinationHistory.Sentence)) + ".";
    }

    private static async Task<Reply> CancelOrMoveAsync(CommandSession s, StoredMeeting row, Meeting meeting, bool move)
    {
        var input = new CommandInput(s.Command, move ? ["name", "meeting", "date", "to", "reason"] : ["name", "meeting", "date", "reason"]);
        var typed = input.Required("date", "the date of the occurrence, as YYYY-MM-DD");
        var date = SchedulingOptionsValidator.Date(typed);
        if (typed.Length > 0 && date is null) input.Problem($"`date={typed}` is not a date: give it as YYYY-MM-DD.");
        LocalDateTime? to = null;
        if (move)
        {
            var typedTo = input.Required("to", "the new start, like to=\"2026-12-10 15:30\"");
            to = Starts.Select(p => p.Parse(typedTo)).FirstOrDefault(r => r.Success)?.Value;
            if (typedTo.Length > 0 && to is null) input.Problem($"`to={typedTo}` is not a start: give it as \"YYYY-MM-DD HH:mm\".");
        }
        var stored = date is { } d ? await s.Db.MeetingOccurrences.FirstOrDefaultAsync(o => o.MeetingId == row.Id && o.Date == d.ToDateOnly(), s.Ct) : null;
        if (date is { } day && !meeting.OccursOn(day))
            input.Problem($"**{row.Name}** does not meet on {MeetingText.Date.Format(day)} ({day.DayOfWeek}); its next dates: " +
                string.Join(", ", meeting.OccurrencesAfter(s.Now).Take(3).Select(o => MeetingText.Date.Format(o.Date))) + ".");
        else if (stored?.Cancelled == true) input.Problem($"The meeting of {typed} is already cancelled.");
        if (to is { } start && meeting.Zone.AtLeniently(start).ToDateTimeOffset() <= s.Now) input.Problem($"`to={s.Command.Get("to")}` is in the past.");
        if (!input.IsValid) return input.Refusal(Usage, move ? "/meeting move" : "/meeting cancel");

        var reason = input.Optional("reason");
        if (stored is null)
        {
            stored = new StoredOccurrence { MeetingId = row.Id, Date = date!.Value.ToDateOnly(), ChangedBy = s.Caller.UserId, ChangedAt = s.Now };
            s.Db.MeetingOccurrences.Add(stored);
        }
        stored.Cancelled = !move;
        stored.MovedTo = to is { } t ? StoredOccurrence.Local(t) : null;
        stored.Reason = reason;
        stored.ChangedBy = s.Caller.UserId;
        stored.ChangedAt = s.Now;
        CoordinationChange change = move ? new OccurrenceMoved(stored.Date, to!.Value.ToDateTimeUnspecified(), reason) : new OccurrenceCancelled(stored.Date, reason);
        CoordinationHistory.Record(s.Db, $"meeting:{row.Id}", change, s.Actor, s.Now);
        return $"**{row.Name}**: {CoordinationHistory.Sentence(change)}. The rest of the series is unchanged.";
    }

    private static Reply Remove(CommandSession s, StoredMeeting row)
    {
        row.RemovedAt = s.Now;
        CoordinationHistory.Record(s.Db, $"meeting:{row.Id}", new MeetingRemoved(row.Name), s.Actor, s.Now);
        return $"Removed **{row.Name}**: no more occurrences or bulletins. Its posted bulletins and minutes stay in the archive.";
    }
}
