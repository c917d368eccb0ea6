using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/ticket edit #N field=value …</c>: a wrong version, link, type or platform, or the links an emergency release came
/// without, corrected. The provider edits their own ticket until it is verified, a coordinator any time. The ticket as
/// edited is checked exactly as <c>/release new</c> checks a new one; every field changed is one typed change in the
/// history (old → new), so the posted cards, the feed and the notices follow it like any other change.
/// </summary>
public static class TicketEdit
{
    public const string UsageLine =
        "/ticket edit #N [version=…] [type=…] [stack=…] [notes=URL] [changelog=URL] [cert=URL] [docs=URL|none] [bugs=URL,URL|none] [security=URL] [os=…|none] [arch=…|none]";

    private static readonly string[] Cleared = ["none", "-"];

    public static async Task<Reply> RunAsync(CommandSession s, RolloutOptions options, IReadOnlyList<string> usage)
    {
        var command = s.Command;
        if (!TicketCommand.TryNumber(command, out var number, position: 1))
            return Reply.No($"Which ticket? Write its number after `edit`, as `#42`. {TicketCommand.Usage(usage)}");
        if (command.Named.ContainsKey("component"))
            return Reply.No($"The component of a ticket cannot change: its sites and who may see it follow from it. " +
                $"`/cancel #{number} reason=\"…\"` and open the right one with `/release new`.");
        if (TicketCommand.UnknownKeys(command, usage, [.. Ticket.EditableFields]) is { } unknown) return unknown;
        if (command.Named.Count == 0)
            return Reply.No($"Say what to change, as field=value (none clears an optional field). {TicketCommand.Usage(usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        if (MayEdit(s.Caller, ticket) is { } refused) return refused;

        // The ticket as it would be, checked as a new one: a minor release still needs its links, a URL must be a URL.
        var merged = Ticket.EditableFields.Append("component").ToDictionary(f => f, f => ticket.FieldValue(f) ?? "", StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in command.Named)
            merged[key.ToLowerInvariant()] = Cleared.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase) ? "" : value;
        var (draft, problems) = ReleaseNew.Validate(merged, options, s.Caller);
        if (draft is null)
            return Reply.No($"I did not change {ticket.Number}:\n- {string.Join("\n- ", problems)}\n\n{TicketCommand.Usage(usage)}");

        var edits = new List<(string Field, string? To)>();
        foreach (var field in Ticket.EditableFields.Where(f => command.Named.ContainsKey(f)))
        {
            var to = draft.FieldValue(field);
            if (string.Equals(to, ticket.FieldValue(field), StringComparison.Ordinal)) continue;
            if (ticket.CannotEdit(field, to) is { } why) problems.Add($"{field}: {why}");
            else edits.Add((field, to));
        }
        if (problems.Count > 0) return Reply.No($"I did not change {ticket.Number}:\n- {string.Join("\n- ", problems)}");
        if (edits.Count == 0) return Reply.No($"{ticket.Number} already has those values: nothing changed.");

        var before = edits.ToDictionary(e => e.Field, e => ticket.FieldValue(e.Field));
        ticket.Edit(edits, s.Actor, s.Now);
        var lines = edits.Select(e => $"- {e.Field}: {before[e.Field] ?? "not set"} → {e.To ?? "not set"}");
        var restricted = before.ContainsKey("security") && before["security"] is null
            ? $"\nIt is now **restricted** (security advisory): only those entitled can see it." : "";
        return $"{ticket.Number} {ticket.Component} {ticket.Version} edited:\n{string.Join('\n', lines)}{restricted}";
    }

    /// <summary>The provider until verification, a coordinator any time.</summary>
    private static Reply? MayEdit(Caller caller, Ticket ticket)
    {
        if (caller.IsCoordinator) return null;
        if (ticket.ProviderId != caller.UserId)
            return Refusals.Role(caller, "the ticket's provider and coordinators", $"edit {ticket.Number}");
        if (ticket.IsBeforeVerification) return null;
        return Reply.No($"{ticket.Number} is {ticket.State.ToName()}: its provider edits it until it is verified; from then on only " +
            $"coordinators can. Ask them, or `/comment {ticket.Number} \"…\"` to tell the sites.");
    }
}
