using System.Globalization;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/snooze #N until=DATE reason="…"</c>: a coordinator holds the acceptance nags of a verified ticket until a date
/// (a site promised to accept after a downtime, say). The snooze ends by itself: the next nag comes on the first
/// working morning after the date. It is a history line; <see cref="TicketTimers"/> moves the reminder.
/// </summary>
public static class Snooze
{
    public static readonly IReadOnlyList<string> Usage = ["/snooze #N until=YYYY-MM-DD reason=\"…\""];

    public static CommandDefinition Definition => TicketCommand.Define(
        "snooze", "Coordinator", Usage, "hold the acceptance nags of a verified ticket until a date", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.IsCoordinator) return TicketCommand.NotAllowed("snooze", "coordinators");
            if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, Usage, "until", "reason") is { } unknown) return unknown;
            var untilText = command.Get("until")?.Trim();
            if (!DateOnly.TryParseExact(untilText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until))
                return $"until= must be a date such as 2026-12-01, not '{untilText}'.\n\n{TicketCommand.Usage(Usage)}";
            if (until < DateOnly.FromDateTime(s.Now.UtcDateTime))
                return $"until={untilText} is in the past; give a date from today on.";
            var reason = command.Get("reason")?.Trim();
            if (string.IsNullOrEmpty(reason)) return $"reason= is missing: say why the nags wait, in quotes.\n\n{TicketCommand.Usage(Usage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            if (ticket.State != TicketState.Verified)
                return $"{ticket.Number} is {ticket.State.ToName()}: only a verified ticket waiting for a site has acceptance nags to snooze.";
            var date = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            ticket.Touch(s.Now);
            ticket.Record(s.Caller, s.Now, "acceptance snoozed", null, date, reason);
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"The acceptance nags for {ticket.Number} wait until {date}; they resume on the next working morning after it.";
        });
}
