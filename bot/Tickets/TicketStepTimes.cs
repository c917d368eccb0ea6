using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tickets;

/// <summary>
/// When a ticket first entered each state that ends a Table 3 step: what metrics, the status page and the bulletin
/// need from the history, in one row per ticket. The history stays the record; this row is derived from it, written
/// in the same transaction as every state move (<see cref="OnTicketChangedAsync"/>), and backfilled from the history
/// by migration 0010 for tickets that moved before it existed.
/// </summary>
public sealed class TicketStepTimes
{
    public long TicketId { get; set; }
    public DateTimeOffset? UnverifiedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? RejectedAt { get; set; }

    /// <summary>Notes that the ticket entered <paramref name="state"/> at <paramref name="at"/>; only the first instant counts.</summary>
    public void Reached(TicketState state, DateTimeOffset at)
    {
        switch (state)
        {
            case TicketState.Unverified: UnverifiedAt = Earlier(UnverifiedAt, at); break;
            case TicketState.Verified: VerifiedAt = Earlier(VerifiedAt, at); break;
            case TicketState.Closed: ClosedAt = Earlier(ClosedAt, at); break;
            case TicketState.Rejected: RejectedAt = Earlier(RejectedAt, at); break;
        }
    }

    private static DateTimeOffset Earlier(DateTimeOffset? kept, DateTimeOffset at) => kept is { } k && k <= at ? k : at;

    /// <summary>
    /// Called by <see cref="TicketRunner"/> before it commits: applies the state lines this session appended (the
    /// tracked lines stamped with its time, as for notices and timers) to each moved ticket's row, creating the row
    /// at the ticket's first move.
    /// </summary>
    public static async Task OnTicketChangedAsync(TicketSession session, CancellationToken ct)
    {
        var db = session.Db;
        var moved = db.ChangeTracker.Entries<Ticket>().Select(e => e.Entity)
            .Select(t => (Ticket: t, Moves: t.History.Where(h => h.At == session.Now && h.What == "state" && h.To is not null).ToList()))
            .Where(x => x.Moves.Count > 0).ToList();
        if (moved.Count == 0) return;
        foreach (var (ticket, moves) in moved)
        {
            var times = await db.TicketStepTimes.FindAsync([ticket.Id], ct);
            if (times is null) db.TicketStepTimes.Add(times = new TicketStepTimes { TicketId = ticket.Id });
            foreach (var move in moves) times.Reached(TicketNames.Parse<TicketState>(move.To!), move.At);
        }
        await db.SaveChangesAsync(ct);
    }

    internal static void Map(ModelBuilder model) => model.Entity<TicketStepTimes>(e =>
    {
        e.ToTable("ticket_step_times");
        e.HasKey(s => s.TicketId);
        e.Property(s => s.TicketId).ValueGeneratedNever();
    });
}
