using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/disclose #N</c>: a coordinator lifts the embargo of a restricted (security) release that went to production.
/// From then on it is public on every surface (<see cref="Visibility"/>), and its production announcement goes to the
/// broadcast channel (seed 002 §2.4, security restrictions). Until then the close is announced nowhere public.
/// </summary>
public static class Disclose
{
    public static readonly IReadOnlyList<string> Usage = ["/disclose #N"];

    public static readonly CommandDefinition Definition = new(
        "disclose", "Coordinator", Usage, "lift a security release's embargo and announce it", Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage) is { } unknown) return unknown;

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        if (ticket.Disclose(s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{ticket.Number} is disclosed; the production announcement goes to the broadcast channel.";
    }
}
