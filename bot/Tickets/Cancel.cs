using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/cancel #N reason="…"</c>: a ticket opened by mistake (a typo'd component, a duplicate) or withdrawn by its
/// provider ends in state cancelled: not a reject, so the metrics and the §2.2 frequency rule leave it out; its timers
/// stop, the posted cards lose their buttons and the people taking part are told, like any other state move. Its
/// provider cancels it until it is verified, a coordinator while it is open.
/// </summary>
public static class Cancel
{
    public static readonly IReadOnlyList<string> Usage = ["/cancel #N reason=\"…\""];

    public static readonly CommandDefinition Definition = new(
        "cancel", "Provider", Usage, "end a ticket opened by mistake (not a reject: metrics leave it out); coordinators: any open ticket",
        Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage, "reason") is { } unknown) return unknown;
        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        if (!s.Caller.IsCoordinator)
        {
            if (ticket.ProviderId != s.Caller.UserId)
                return Refusals.Role(s.Caller, "the ticket's provider and coordinators", $"cancel {ticket.Number}");
            if (!ticket.IsBeforeVerification && ticket.State.IsOpen())
                return Reply.No($"{ticket.Number} is {ticket.State.ToName()}: early adopters have it, so only coordinators can cancel it now. " +
                    $"Ask them, saying why (`/comment {ticket.Number} \"…\"`).");
        }
        var reason = s.Command.Get("reason")?.Trim();
        if (string.IsNullOrEmpty(reason))
            return Reply.No($"Say why, for the history and the people told: reason=\"…\". {TicketCommand.Usage(Usage)}");
        if (ticket.Cancel(reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{ticket.Number} {ticket.Component} {ticket.Version} is cancelled: {reason}. It counts as no release and no reject; " +
            "its reminders stopped and the sites taking part are told.";
    }
}
