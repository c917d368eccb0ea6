using System.Globalization;
using System.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>
/// <c>/agenda</c>: anyone with a role adds an item to the next occurrence of a meeting; its chairs (or a coordinator)
/// order and drop items. The agenda goes out with the meeting's bulletin and is on <c>/meeting show</c>.
/// </summary>
public static class AgendaCommands
{
    public static readonly IReadOnlyList<string> Usage =
    [
        "/agenda \"MEETING\"",
        "/agenda add meeting=\"MEETING\" \"item\"",
        "/agenda move meeting=\"MEETING\" ITEM POSITION",
        "/agenda drop meeting=\"MEETING\" ITEM",
    ];

    public static CommandDefinition Definition(MeetingCatalog catalog) => new("agenda", "Everyone", Usage,
        "the agenda of a meeting's next occurrence: show it, add an item; its chairs order and drop items", Writes: true,
        s => RunAsync(s, catalog));

    private static async Task<Reply> RunAsync(CommandSession s, MeetingCatalog catalog)
    {
        var verb = s.Command.Verb is "add" or "move" or "drop" ? s.Command.Verb : "show";
        var found = await MeetingCommands.FindAsync(s, catalog, position: s.Command.Verb is "add" or "move" or "drop" or "show" ? 1 : 0);
        if (found.Meeting is not { } meeting) return found.Refusal!;
        var next = meeting.OccurrencesAfter(s.Now).FirstOrDefault();
        if (next is null) return Reply.No($"**{meeting.Name}** has no occurrence to come, so there is no agenda to keep.");
        var date = next.Date.ToDateOnly();
        var items = await AgendaItem.OfAsync(s.Db, meeting.Id, date, s.Ct);
        if (verb == "show") return Render(meeting, next, items);

        if (verb == "add")
        {
            if (s.Caller.Roles.Count == 0) return Refusals.Role(s.Caller, "people with a role", "add to an agenda");
            var text = string.Join(' ', s.Command.Positionals.Skip(1)).Trim();
            if (text.Length == 0) return Refusals.Problem("Say the item, in quotes.", Usage, "/agenda add");
            var item = new AgendaItem
            {
                MeetingId = meeting.Id, Date = date, Position = items.Count == 0 ? 1 : items.Max(i => i.Position) + 1, Text = text,
                AddedBy = s.Caller.UserId, AddedByName = s.Caller.Name, AddedAt = s.Now,
            };
            s.Db.AgendaItems.Add(item);
            await s.Db.SaveChangesAsync(s.Ct);
            CoordinationHistory.Record(s.Db, $"meeting:{meeting.Id}", new AgendaItemAdded(item.Id, date, text), s.Actor, s.Now);
            return $"Added to the agenda of **{meeting.Name}**, {MeetingText.Occurrence(next)}, as item {items.Count + 1}: {text}";
        }

        if (!meeting.Chairs.Contains(s.Caller.UserId, StringComparer.Ordinal) && !s.Caller.IsCoordinator)
            return Refusals.Role(s.Caller, $"the chairs of {meeting.Name} ({MeetingText.People(meeting.Chairs)}) or coordinators", "order or drop agenda items");
        var args = s.Command.Positionals.Skip(1).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
        if (args.Count < (verb == "move" ? 2 : 1) || args.Any(n => n < 1 || n > items.Count))
            return Refusals.Problem($"Give the item's number on the agenda (1 to {items.Count})" + (verb == "move" ? " and its new position." : "."),
                Usage, $"/agenda {verb}");
        var chosen = items[args[0] - 1];
        CoordinationChange change;
        if (verb == "drop")
        {
            chosen.DroppedAt = s.Now;
            change = new AgendaItemDropped(chosen.Id, chosen.Text);
        }
        else
        {
            items.Remove(chosen);
            items.Insert(args[1] - 1, chosen);
            for (var i = 0; i < items.Count; i++) items[i].Position = i + 1;
            change = new AgendaItemMoved(chosen.Id, args[0], args[1]);
        }
        CoordinationHistory.Record(s.Db, $"meeting:{meeting.Id}", change, s.Actor, s.Now);
        return Render(meeting, next, items.Where(i => i.DroppedAt is null).ToList());
    }

    public static string Render(Meeting meeting, MeetingOccurrence next, IReadOnlyList<AgendaItem> items)
    {
        var text = new StringBuilder($"**Agenda — {meeting.Name}**, {MeetingText.Occurrence(next)}\n");
        if (items.Count == 0) return text.Append("Nothing yet. Anyone with a role adds an item with `/agenda add`.").ToString();
        for (var i = 0; i < items.Count; i++) text.Append(i + 1).Append(". ").Append(items[i].Text).Append(" (").Append(items[i].AddedByName).Append(")\n");
        return text.ToString();
    }

    /// <summary>The bulletin's agenda section: the agenda of the occurrence the bulletin is for.</summary>
    public static async Task<string?> BulletinAsync(Bulletins.BulletinContext c)
    {
        if (c.Occurrence.Meeting.Id == 0) return null;
        var items = await AgendaItem.OfAsync(c.Db, c.Occurrence.Meeting.Id, c.Occurrence.Date.ToDateOnly(), c.Ct);
        if (items.Count == 0) return "\nNo agenda items yet.\n";
        var restricted = await Status.PublicText.RestrictedAmongAsync(c.Db, items.Select(i => i.Text), c.Ct);
        var text = new StringBuilder("\n**Agenda**:\n");
        for (var i = 0; i < items.Count; i++) text.Append(i + 1).Append(". ").Append(Status.PublicText.Scrub(items[i].Text, restricted)).Append('\n');
        return text.ToString();
    }
}
