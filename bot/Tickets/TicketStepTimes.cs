using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// When a ticket first entered each state that ends a Table 3 step: what metrics, the status page and the bulletin
/// need from the history, in one row per ticket. The history stays the record; this row is derived from it, written
/// in the same transaction as every state move (a reaction), and backfilled from the history
/// by migration 0010 for tickets that moved before it existed.
/// </summary>
public sealed class TicketStepTimes
{
    public long TicketId { get; set; }
    public DateTimeOffset? UnverifiedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? RollingOutAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }

    /// <summary>Notes that the ticket entered <paramref name="state"/> at <paramref name="at"/>; only the first instant counts.</summary>
    public void Reached(TicketState state, DateTimeOffset at)
    {
        switch (state)
        {
            case TicketState.Unverified: UnverifiedAt = Earlier(UnverifiedAt, at); break;
            case TicketState.Verified: VerifiedAt = Earlier(VerifiedAt, at); break;
            case TicketState.RollingOut: RollingOutAt = Earlier(RollingOutAt, at); break;
            case TicketState.Closed: ClosedAt = Earlier(ClosedAt, at); break;
            case TicketState.Rejected: RejectedAt = Earlier(RejectedAt, at); break;
        }
    }

    private static DateTimeOffset Earlier(DateTimeOffset? kept, DateTimeOffset at) => kept is { } k && k <= at ? k : at;

    /// <summary>The reaction that keeps the row: every state move, in the transaction of the command that made it.</summary>
    public static IServiceCollection AddStepTimes(IServiceCollection services) =>
        services.AddReaction<Ticket, StateMoved>("step times: the first instant of each state", _ => OnMovedAsync);

    private static async Task OnMovedAsync(ReactionContext ctx, Ticket ticket, StateMoved move)
    {
        // FindAsync sees a row added earlier in this command too (two moves in one command: open, then accept).
        var times = await ctx.Db.TicketStepTimes.FindAsync([ticket.Id], ctx.Ct);
        if (times is null) ctx.Db.TicketStepTimes.Add(times = new TicketStepTimes { TicketId = ticket.Id });
        times.Reached(move.To, ctx.Now);
    }

    internal static void Map(ModelBuilder model) => model.Entity<TicketStepTimes>(e =>
    {
        e.ToTable("ticket_step_times");
        e.HasKey(s => s.TicketId);
        e.Property(s => s.TicketId).ValueGeneratedNever();
    });
}
