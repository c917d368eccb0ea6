using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/disclose #N</c>: a coordinator lifts the embargo of a restricted (security) release that went to production,
/// so its production announcement goes to the broadcast channel (seed 002 §2.4, security restrictions). Until then
/// the close is announced nowhere public.
/// </summary>
public static class Disclose
{
    public static readonly IReadOnlyList<string> Usage = ["/disclose #N"];

    public static CommandDefinition Definition => TicketCommand.Define(
        "disclose", "Coordinator", Usage, "lift a security release's embargo and announce it", writes: true, async (ctx, s) =>
        {
            if (!s.Caller.IsCoordinator) return TicketCommand.NotAllowed("disclose", "coordinators");
            if (TicketCommand.NumberOrError(ctx.Command, Usage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(ctx.Command, Usage) is { } unknown) return unknown;

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            if (!ticket.IsRestricted) return $"{ticket.Number} is not restricted: there is no embargo to lift.";
            if (ticket.DisclosedAt is { } at) return $"{ticket.Number} was already disclosed on {TicketCommand.When(at)}.";
            if (ticket.State != TicketState.Closed || ticket.Outcome is not (Outcome.Success or Outcome.Warning))
                return $"{ticket.Number} is {ticket.State.ToName()}: only a release closed with success or warning goes to production " +
                    "and can be disclosed. `/close` it first.";

            ticket.DisclosedAt = s.Now;
            ticket.Touch(s.Now);
            ticket.Record(s.Caller, s.Now, "disclosed", null, TicketCommand.When(s.Now));
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"{ticket.Number} is disclosed; the production announcement goes to the broadcast channel.";
        });
}
