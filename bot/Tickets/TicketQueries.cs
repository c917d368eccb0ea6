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
        if (s.Writes && s.Db.IsNpgsql)
            await s.Db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM tickets WHERE id = {number} FOR UPDATE", s.Ct);
        return await s.Db.Tickets.Include(t => t.Participations).Where(Visibility.For(s.Caller))
            .SingleOrDefaultAsync(t => t.Id == number, s.Ct);
    }

    /// <summary>The tickets the caller may see.</summary>
    public static IQueryable<Ticket> VisibleTickets(this CommandSession s) => s.Db.Tickets.AsNoTracking().Where(Visibility.For(s.Caller));

    /// <summary>
    /// The answer when <see cref="FindTicketAsync"/> found nothing. "There is no ticket" for a number that does not
    /// exist and for a restricted ticket the caller has no trace of: both read the same. A caller who acted on the
    /// restricted ticket or was told of it knows it exists, so hiding it helps nobody: they hear which roles see it.
    /// </summary>
    public static async Task<Reply> NoTicketAsync(this CommandSession s, long number)
    {
        var restricted = Visibility.Restricted;
        if (!await s.Db.Tickets.AsNoTracking().Where(t => t.Id == number).Where(restricted).AnyAsync(s.Ct)) return TicketCommand.NoSuchTicket(number);
        var me = s.Caller.UserId;
        var recipient = Notices.NoticeRecipient.User(me).ToString();
        var prefix = $"ticket:{number}:";
        var knows = await s.Db.TicketHistory.AnyAsync(h => h.TicketId == number && h.ByUserId == me, s.Ct)
            || await s.Db.Notices.AnyAsync(n => n.Recipient == recipient && n.DedupeKey.StartsWith(prefix), s.Ct);
        if (!knows) return TicketCommand.NoSuchTicket(number);
        var repository = s.Caller.Has(Role.Repository)
            ? " (the repository role sees a restricted ticket only while its packages wait to be pulled or to move to production)" : "";
        return Reply.No($"#{number} is a restricted security release, and you may not see it now. You ({me}) have {s.Caller.HeldRoles}{repository}. " +
            "Until it is disclosed it is visible to coordinators, the technology unit, the security group, its provider and the admins " +
            "of sites committed to its component; a coordinator can give you a role with `/role grant`.");
    }

    /// <summary>The ticket's "not this time" answers, for the handlers and cards that show or check them.</summary>
    public static async Task LoadDeclinesAsync(this Storage.RolloutDb db, Ticket ticket, CancellationToken ct)
    {
        var entry = db.Entry(ticket);
        if (entry.State != EntityState.Added && !entry.Collection(t => t.Declines).IsLoaded) await entry.Collection(t => t.Declines).LoadAsync(ct);
    }
}
