using System.Globalization;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/snooze #N until=DATE reason="…"</c>: a coordinator holds the acceptance nags of a verified ticket until a date
/// (a site promised to accept after a downtime, say). The snooze ends by itself: the next nag comes on the first
/// working morning after the date. <see cref="TicketTimers"/> moves the reminder when it sees the change.
/// </summary>
public static class Snooze
{
    public static readonly IReadOnlyList<string> Usage = ["/snooze #N until=YYYY-MM-DD reason=\"…\""];

    public static readonly CommandDefinition Definition = new(
        "snooze", "Coordinator", Usage, "hold the acceptance nags of a verified ticket until a date", Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, Usage, "until", "reason") is { } unknown) return unknown;
        var untilText = command.Get("until")?.Trim();
        if (!DateOnly.TryParseExact(untilText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until))
            return Reply.No($"until= must be a date such as 2026-12-01, not '{untilText}'.\n\n{TicketCommand.Usage(Usage)}");
        if (until < DateOnly.FromDateTime(s.Now.UtcDateTime))
            return Reply.No($"until={untilText} is in the past; give a date from today on.");
        var reason = command.Get("reason")?.Trim();
        if (string.IsNullOrEmpty(reason)) return Reply.No($"reason= is missing: say why the nags wait, in quotes.\n\n{TicketCommand.Usage(Usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        if (ticket.SnoozeAcceptance(until, reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        var date = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"The acceptance nags for {ticket.Number} wait until {date}; they resume on the next working morning after it.";
    }
}
