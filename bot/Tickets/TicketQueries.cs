using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>Reading tickets inside a command: always through <see cref="Visibility"/>.</summary>
public static class TicketQueries
{
    /// <summary>
    /// The ticket with its participations, or null when it does not exist or the caller may not see it: both read the
    /// same to the user. In a write, PostgreSQL locks the row first so that twenty sites accepting at once queue up
    /// instead of all failing on the version check; SQLite already holds its write lock.
    /// </summary>
    public static async Task<Ticket?> FindTicketAsync(this CommandSession s, long number)
    {
        if (s.Writes && s.Db.Database.IsNpgsql())
            await s.Db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM tickets WHERE id = {number} FOR UPDATE", s.Ct);
        return await s.Db.Tickets.Include(t => t.Participations).Where(Visibility.For(s.Caller))
            .SingleOrDefaultAsync(t => t.Id == number, s.Ct);
    }

    /// <summary>The tickets the caller may see.</summary>
    public static IQueryable<Ticket> VisibleTickets(this CommandSession s) => s.Db.Tickets.AsNoTracking().Where(Visibility.For(s.Caller));
}
