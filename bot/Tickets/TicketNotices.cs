using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The notices a ticket's changes cause (seed 002 §2.4 step 3 and §5), as reactions run inside the command's
/// transaction: the release notice card on verification, every posted copy of it kept current, the provider told of
/// every change and the accepted sites of every state move, and production announced on close or disclosure.
/// </summary>
public sealed class TicketNotices(Outbox outbox, WorkingCalendars calendars)
{
    public static IServiceCollection AddTicketNotices(IServiceCollection services)
    {
        services.AddSingleton<TicketNotices>();
        services.AddReaction<Ticket, StateMoved>("notices: the release card goes out on verification", sp => sp.Get<TicketNotices>().OnVerifiedAsync);
        services.AddReaction<Ticket, StateMoved>("notices: production is announced on close", sp => sp.Get<TicketNotices>().OnClosedAsync);
        services.AddReaction<Ticket, Disclosed>("notices: a disclosed release is announced", sp => sp.Get<TicketNotices>().OnDisclosedAsync);
        services.AddReactionToAll<Ticket, TicketChange>("notices: the provider and the sites hear of changes", sp => sp.Get<TicketNotices>().TellPeopleAsync);
        services.AddReactionToAll<Ticket, TicketChange>("notices: posted cards follow the ticket", sp => sp.Get<TicketNotices>().UpdateCardAsync);
        return services;
    }

    private async Task OnVerifiedAsync(ReactionContext ctx, Ticket ticket, StateMoved move)
    {
        if (move.To != TicketState.Verified) return;
        var card = ReleaseNoticeCard.Message(ticket, await AcceptByAsync(ctx.Db, ctx.Now, ctx.Ct));
        var key = $"ticket:{ticket.Id}:verified";
        var cardKey = ReleaseNoticeCard.CardKey(ticket.Id);
        if (!ticket.IsRestricted)
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.Channel(NoticePurposes.EarlyAdopters, ticket.Stack), card, cardKey, ctx.Ct);
        else
            foreach (var admin in await CommittedAdminsAsync(ctx.Db, ticket.Component, ctx.Ct))
                await outbox.AddAsync(ctx.Db, key, NoticeRecipient.User(admin), card, cardKey, ctx.Ct);
    }

    private Task OnClosedAsync(ReactionContext ctx, Ticket ticket, StateMoved move) =>
        move.To == TicketState.Closed && !ticket.IsRestricted ? AnnounceAsync(ctx, ticket) : Task.CompletedTask;

    private Task OnDisclosedAsync(ReactionContext ctx, Ticket ticket, Disclosed _) => AnnounceAsync(ctx, ticket);

    private async Task AnnounceAsync(ReactionContext ctx, Ticket ticket)
    {
        if (ticket.Outcome is Outcome.Success or Outcome.Warning)
            await outbox.AddAsync(ctx.Db, $"ticket:{ticket.Id}:production", NoticeRecipient.Channel(NoticePurposes.Broadcast), Announcement(ticket), ctx.Ct);
    }

    /// <summary>The provider hears of everything about their release; the accepted sites of its state moves.</summary>
    private async Task TellPeopleAsync(ReactionContext ctx, Ticket ticket, IReadOnlyList<TicketChange> changes)
    {
        var told = changes.Where(c => c is not (TicketOpened or TargetMissed)).ToList();
        if (told.Count == 0) return;
        var sites = ticket.Participations.Where(p => p.WithdrawnAt is null).Select(p => p.SiteId).ToList();
        var siteAdmins = sites.Count == 0 || !told.Any(c => c is StateMoved) ? [] : await ctx.Db.SiteAdmins.AsNoTracking()
            .Where(a => sites.Contains(a.SiteId) && a.RemovedAt == null).Select(a => a.UserId).Distinct().ToListAsync(ctx.Ct);
        foreach (var change in told)
        {
            var people = change is StateMoved ? siteAdmins.Append(ticket.ProviderId) : [ticket.ProviderId];
            var key = NoticeKey(ticket, change, ctx);
            foreach (var person in people.Distinct().Where(p => p != ctx.By.UserId))
                await outbox.AddAsync(ctx.Db, key, NoticeRecipient.User(person), Describe(ticket, change, ctx), ctx.Ct);
        }
    }

    /// <summary>Every copy of the release card already posted is redrawn from the ticket as it is now.</summary>
    private async Task UpdateCardAsync(ReactionContext ctx, Ticket ticket, IReadOnlyList<TicketChange> changes)
    {
        if (changes.Any(c => c is StateMoved { To: TicketState.Verified })) return; // just posted, with this content
        var cardKey = ReleaseNoticeCard.CardKey(ticket.Id);
        if (!await ctx.Db.Notices.AnyAsync(n => n.CardKey == cardKey, ctx.Ct)) return;
        await outbox.AddCardUpdateAsync(ctx.Db, cardKey, ReleaseNoticeCard.Message(ticket, await VerifiedAcceptByAsync(ctx.Db, ticket, ctx.Ct)), ctx.Ct);
    }

    /// <summary>What a notice about a change is keyed by, so that the same change is never told twice.</summary>
    private static string NoticeKey(Ticket ticket, TicketChange change, ReactionContext ctx) => change switch
    {
        StateMoved m => $"ticket:{ticket.Id}:{m.StoredKind}:{m.To.ToName()}",
        SiteAccepted a => $"ticket:{ticket.Id}:{a.StoredKind}:{a.SiteId}",
        SiteReported r => $"ticket:{ticket.Id}:{r.StoredKind}:{r.SiteId}",
        SiteWithdrawn w => $"ticket:{ticket.Id}:{w.StoredKind}:{w.SiteId}",
        _ => $"ticket:{ticket.Id}:{change.StoredKind}:{ctx.Now.UtcTicks.ToString(CultureInfo.InvariantCulture)}",
    };

    public static string Announcement(Ticket ticket)
    {
        var sites = ticket.Participations.Where(p => p.DoneAt is not null).Select(p => p.SiteName).ToList();
        return $"{ticket.Component} {ticket.Version} ({ticket.Stack}, {ticket.Type.ToName()}) goes to production" +
            (ticket.Outcome == Outcome.Warning ? " with warnings" : "") +
            (sites.Count > 0 ? $" after staged rollout at {string.Join(", ", sites)}." : ".") +
            (ticket.RepositoryUrl is null ? "" : $" Packages: {ticket.RepositoryUrl}") +
            (ticket.NotesUrl is null ? "" : $" Release notes: {ticket.NotesUrl}");
    }

    /// <summary>The change as a one-line notice, worded as its history line.</summary>
    private static string Describe(Ticket ticket, TicketChange change, ReactionContext ctx)
    {
        var line = TicketHistory.Of(change, ctx.By, ctx.Now);
        var what = change switch
        {
            StateMoved => $"is now {line.To}",
            Commented c => $"has a new comment: “{c.Text}”",
            _ => line.To is null ? line.What : $"{line.What}: {line.To}",
        };
        var reason = string.IsNullOrWhiteSpace(line.Reason) ? "" : $" Reason: {line.Reason}";
        return $"{ticket.Number} {ticket.Component} {ticket.Version} {what} ({ctx.By.Name}).{reason}";
    }

    private async Task<DateTimeOffset> AcceptByAsync(RolloutDb db, DateTimeOffset verifiedAt, CancellationToken ct) =>
        ReleaseTimelines.Acceptance.DeadlineFrom(verifiedAt, await calendars.ForChannelAsync(db, ct));

    private async Task<DateTimeOffset?> VerifiedAcceptByAsync(RolloutDb db, Ticket ticket, CancellationToken ct)
    {
        if (ticket.State != TicketState.Verified) return null;
        var verifiedAt = await db.TicketStepTimes.AsNoTracking().Where(t => t.TicketId == ticket.Id).Select(t => t.VerifiedAt).FirstOrDefaultAsync(ct);
        return verifiedAt is { } at ? await AcceptByAsync(db, at, ct) : null;
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
