using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>What a ticket command answers: text, optionally with a card.</summary>
public sealed record Reply(string Text, System.Text.Json.JsonElement? Card = null)
{
    public static implicit operator Reply(string text) => new(text);
}

/// <summary>One attempt of a ticket command: its database, who is asking, and the time it runs at.</summary>
public sealed class TicketSession(RolloutDb db, Viewer viewer, DateTimeOffset now, bool forUpdate)
{
    public RolloutDb Db { get; } = db;
    public Viewer Viewer { get; } = viewer;
    public Caller Caller => Viewer.Caller;
    public DateTimeOffset Now { get; } = now;

    /// <summary>
    /// The ticket with its participations, or null when it does not exist or the caller may not see it: both
    /// read the same to the user. For a write, PostgreSQL locks the row first so that twenty sites accepting at
    /// once queue up instead of all failing on the version check; SQLite already holds its write lock.
    /// </summary>
    public async Task<Ticket?> FindAsync(long number, CancellationToken ct)
    {
        if (forUpdate && Db.Database.IsNpgsql())
            await Db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM tickets WHERE id = {number} FOR UPDATE", ct);
        return await Db.Tickets.Include(t => t.Participations).Where(Ticket.VisibleTo(Viewer))
            .SingleOrDefaultAsync(t => t.Id == number, ct);
    }
}

/// <summary>
/// Runs a ticket command: resolves the caller, opens a write transaction when the command changes anything, and
/// re-runs the whole command on a concurrency conflict, a bounded number of times, so a stale write is retried
/// or refused, never lost.
/// </summary>
public sealed class TicketRunner(
    IDbContextFactory<RolloutDb> factory, CallerResolver callers, TimeProvider clock, IOptions<TicketOptions> options,
    ILogger<TicketRunner> logger, TicketNotices notices, TicketTimers timers)
{
    public async Task<Reply> RunAsync(TurnContext turn, bool writes, Func<TicketSession, Task<Reply>> body, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            var caller = await callers.ResolveAsync(turn, db, ct);
            var siteIds = caller.AdminOfSiteIds.ToList();
            var committed = await db.Commitments.AsNoTracking()
                .Where(c => c.EndedAt == null && siteIds.Contains(c.SiteId))
                .Select(c => c.Component.ToLower()).Distinct().ToListAsync(ct);
            var session = new TicketSession(db, new Viewer(caller, committed.ToHashSet(StringComparer.Ordinal)), clock.GetUtcNow(), writes);
            if (!writes) return await body(session);

            // On SQLite this is BEGIN IMMEDIATE: writers queue on the busy timeout instead of meeting "database is locked".
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var reply = await body(session);
                await TicketStepTimes.OnTicketChangedAsync(session, ct);
                await notices.OnTicketChangedAsync(session, ct);
                await timers.OnTicketChangedAsync(session, ct);
                await tx.CommitAsync(ct);
                return reply;
            }
            catch (DbUpdateException e) when (IsConflict(e) && attempt < options.Value.ConcurrencyAttempts)
            {
                // A unique index (a site accepting twice, a component added twice) is the same race seen by the
                // database: the next attempt reads the winner's write and answers accordingly.
                logger.LogInformation("Ticket write conflicted (attempt {Attempt}); running the command again", attempt);
            }
            catch (DbUpdateException e) when (IsConflict(e))
            {
                return "The ticket changed while I was saving your change, several times over, so I changed nothing. Please try again.";
            }
        }
    }

    private static bool IsConflict(DbUpdateException e) => e is DbUpdateConcurrencyException || e.IsUniqueViolation();
}
