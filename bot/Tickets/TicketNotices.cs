using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Turns what a ticket command changed into notices, inside the command's transaction (seed 002 §2.4 step 3 and §5):
/// the release notice card on verification, the card kept current in place afterwards, the provider told of every
/// state change, the accepted sites told directly once the rollout has started, and production announced on close.
/// </summary>
public sealed class TicketNotices(Outbox outbox, WorkingCalendars calendars)
{
    /// <summary>
    /// Reads the ticket history rows this session appended (write commands never load older history, and every row
    /// they append carries the session's time) and queues the notices they call for.
    /// </summary>
    public async Task OnTicketChangedAsync(TicketSession session, CancellationToken ct)
    {
        var db = session.Db;
        var tickets = db.ChangeTracker.Entries<Ticket>().Select(e => e.Entity).ToList();
        var queued = false;
        foreach (var ticket in tickets)
        {
            var changes = ticket.History.Where(h => h.At == session.Now).ToList();
            if (changes.Count == 0) continue;
            await OnChangedAsync(db, ticket, changes, session.Caller, ct);
            queued = true;
        }
        if (queued) await db.SaveChangesAsync(ct);
    }

    private async Task OnChangedAsync(RolloutDb db, Ticket ticket, List<TicketHistory> changes, Caller by, CancellationToken ct)
    {
        var cardKey = ReleaseNoticeCard.CardKey(ticket.Id);
        var verified = changes.FirstOrDefault(h => h.What == "state" && h.To == TicketState.Verified.ToName());
        if (verified is not null)
        {
            var card = ReleaseNoticeCard.Message(ticket, await AcceptByAsync(db, verified.At, ct));
            var key = $"ticket:{ticket.Id}:verified";
            if (!ticket.IsRestricted)
                await outbox.AddAsync(db, key, NoticeRecipient.Channel("early-adopters", ticket.Stack), card, cardKey, ct);
            else
                foreach (var admin in await CommittedAdminsAsync(db, ticket.Component, ct))
                    await outbox.AddAsync(db, key, NoticeRecipient.User(admin), card, cardKey, ct);
        }
        else if (await db.Notices.AnyAsync(n => n.CardKey == cardKey, ct))
        {
            await outbox.AddCardUpdateAsync(db, cardKey, ReleaseNoticeCard.Message(ticket, await VerifiedAtAsync(db, ticket, ct)), ct);
        }

        var sites = ticket.Participations.Where(p => p.WithdrawnAt is null).Select(p => p.SiteId).ToList();
        var siteAdmins = sites.Count == 0 ? [] : await db.SiteAdmins.AsNoTracking()
            .Where(a => sites.Contains(a.SiteId) && a.RemovedAt == null).Select(a => a.UserId).Distinct().ToListAsync(ct);
        foreach (var change in changes)
        {
            var text = Describe(ticket, change);
            var key = $"ticket:{ticket.Id}:{change.What}:{change.From}->{change.To}";
            // The provider hears of everything about their release; accepted sites of state changes only.
            var people = change.What == "state" ? siteAdmins.Append(ticket.ProviderId) : [ticket.ProviderId];
            foreach (var person in people.Distinct().Where(p => p != by.UserId))
                await outbox.AddAsync(db, key, NoticeRecipient.User(person), text, ct);
        }

        // A restricted release is announced only once a coordinator discloses it.
        var closed = changes.Any(h => h.What == "state" && h.To == TicketState.Closed.ToName());
        var disclosed = changes.Any(h => h.What == "disclosed");
        if ((closed && !ticket.IsRestricted || disclosed) && ticket.Outcome is Outcome.Success or Outcome.Warning)
            await outbox.AddAsync(db, $"ticket:{ticket.Id}:production", NoticeRecipient.Channel("broadcast"), Announcement(ticket), ct);
    }

    public static string Announcement(Ticket ticket)
    {
        var sites = ticket.Participations.Where(p => p.DoneAt is not null).Select(p => p.SiteName).ToList();
        return $"{ticket.Component} {ticket.Version} ({ticket.Stack}, {ticket.Type.ToName()}) goes to production" +
            (ticket.Outcome == Outcome.Warning ? " with warnings" : "") +
            (sites.Count > 0 ? $" after staged rollout at {string.Join(", ", sites)}." : ".") +
            (ticket.RepositoryUrl is null ? "" : $" Packages: {ticket.RepositoryUrl}") +
            (ticket.NotesUrl is null ? "" : $" Release notes: {ticket.NotesUrl}");
    }

    private static string Describe(Ticket ticket, TicketHistory change)
    {
        var what = change.What == "state" ? $"is now {change.To}" : $"{change.What}: {change.To}";
        var reason = string.IsNullOrWhiteSpace(change.Reason) ? "" : $" Reason: {change.Reason}";
        return $"{ticket.Number} {ticket.Component} {ticket.Version} {what} ({change.ByName}).{reason}";
    }

    private async Task<DateTimeOffset> AcceptByAsync(RolloutDb db, DateTimeOffset verifiedAt, CancellationToken ct) =>
        ReleaseTimelines.Acceptance.DeadlineFrom(verifiedAt, await calendars.ForChannelAsync(db, ct));

    private async Task<DateTimeOffset?> VerifiedAtAsync(RolloutDb db, Ticket ticket, CancellationToken ct)
    {
        if (ticket.State != TicketState.Verified) return null;
        var verified = TicketState.Verified.ToName();
        var at = await db.TicketHistory.AsNoTracking().Where(h => h.TicketId == ticket.Id && h.What == "state" && h.To == verified)
            .Select(h => (DateTimeOffset?)h.At).ToListAsync(ct);
        return at.Max() is { } last ? await AcceptByAsync(db, last, ct) : null;
    }

    /// <summary>The people a restricted notice may go to: the admins of sites committed to the component.</summary>
    private static Task<List<string>> CommittedAdminsAsync(RolloutDb db, string component, CancellationToken ct)
    {
        var name = component.ToLower();
        var sites = db.Commitments.Where(c => c.EndedAt == null && c.Component.ToLower() == name).Select(c => c.SiteId);
        return db.SiteAdmins.AsNoTracking().Where(a => a.RemovedAt == null && sites.Contains(a.SiteId))
            .Select(a => a.UserId).Distinct().OrderBy(u => u).ToListAsync(ct);
    }
}
