using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;

namespace Rollout.Bot.Pilots;

/// <summary><c>/channel bind pilot P1</c>: the pilot's own room, where its kick-off, reminders and decisions are posted.</summary>
public static class PilotRooms
{
    private static string? Typed(CommandSession s) => s.Command.Positionals.Count > 2 ? s.Command.Positionals[2] : null;

    /// <summary>True when the command binds a pilot's room and the caller is that pilot's coordinator.</summary>
    public static async Task<bool> MayBindAsync(CommandSession s)
    {
        if (s.Command.Positionals.Count < 2 || NoticePurposes.Find(s.Command.Positionals[1]) != NoticePurposes.Pilot) return false;
        if (!PilotCommand.TryNumber(Typed(s), out var id)) return false;
        return await s.Db.Pilots.AnyAsync(p => p.Id == id && p.CoordinatorId == s.Caller.UserId, s.Ct);
    }

    /// <summary>The binding key of the pilot named after "pilot", or the problem with it.</summary>
    public static ((string Purpose, string Stack)? Target, string? Problem) Target(CommandSession s)
    {
        var typed = Typed(s);
        if (!PilotCommand.TryNumber(typed, out var id))
            return (null, typed is null ? "Name the pilot: `/channel bind pilot P1`." : $"`{typed}` is not a pilot number like P1.");
        if (!s.Db.Pilots.Any(p => p.Id == id)) return (null, $"There is no pilot P{id}. `/pilots` lists them.");
        return ((NoticePurposes.Pilot, $"p{id}"), null);
    }
}
