using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Who a ticket's notices go to, by role or by site, and the check that keeps a restricted release to those entitled:
/// every person is resolved as the bot would resolve them on their next turn and tested against <see cref="Visibility"/>.
/// "The repository managers" and "the technology unit" are the people holding that role (<c>/role grant</c>), told
/// each in their own chat; "the coordinators", "the staged-rollout group" of seed 002, are the operations room.
/// </summary>
public sealed class TicketAudience(CallerResolver callers)
{
    /// <summary>The people holding <paramref name="role"/> by grant, in a stable order.</summary>
    public static Task<List<string>> HoldersAsync(RolloutDb db, Role role, CancellationToken ct) =>
        db.RoleGrants.AsNoTracking().Where(g => g.Role == role && g.RevokedAt == null)
            .Select(g => g.UserId).Distinct().OrderBy(u => u).ToListAsync(ct);

    /// <summary>The current admins of <paramref name="siteIds"/>.</summary>
    public static Task<List<string>> SiteAdminsAsync(RolloutDb db, IReadOnlyCollection<long> siteIds, CancellationToken ct) =>
        siteIds.Count == 0 ? Task.FromResult(new List<string>()) : db.SiteAdmins.AsNoTracking()
            .Where(a => siteIds.Contains(a.SiteId) && a.RemovedAt == null).Select(a => a.UserId).Distinct().OrderBy(u => u).ToListAsync(ct);

    /// <summary>The admins of the sites taking part (accepted and not withdrawn).</summary>
    public static Task<List<string>> ParticipantsAsync(RolloutDb db, Ticket ticket, CancellationToken ct) =>
        SiteAdminsAsync(db, ticket.Participations.Where(p => p.WithdrawnAt is null).Select(p => p.SiteId).Distinct().ToList(), ct);

    /// <summary>Those of <paramref name="people"/> who may see <paramref name="ticket"/>: all of them unless it is restricted.</summary>
    public async Task<List<string>> EntitledAsync(RolloutDb db, Ticket ticket, IEnumerable<string> people, CancellationToken ct)
    {
        var distinct = people.Distinct(StringComparer.Ordinal).ToList();
        if (!ticket.IsRestricted) return distinct;
        var kept = new List<string>();
        foreach (var person in distinct)
            if (Visibility.MaySee(await callers.ResolveAsync(person, person, db, ct), ticket)) kept.Add(person);
        return kept;
    }
}
