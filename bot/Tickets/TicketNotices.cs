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
/// every change and the taking-part sites of every state move and comment (a restricted release only to those still
/// entitled), and production announced once the packages are in the production repository and the release is public
/// (recorded with <c>/production</c>, or disclosed after that).
/// </summary>
public sealed class TicketNotices(Outbox outbox, WorkingCalendars calendars, TicketAudience audience)
{
    public static IServiceCollection AddTicketNotices(IServiceCollection services)
    {
        services.AddSingleton<TicketNotices>();
        services.AddReaction<Ticket, StateMoved>("notices: the release card goes out on verification", sp => sp.Get<TicketNotices>().OnVerifiedAsync);
        services.AddReaction<Ticket, ProductionRepositorySet>("notices: production is announced once the packages are there", sp => sp.Get<TicketNotices>().OnProductionAsync);
        services.AddReaction<Ticket, Disclosed>("notices: a disclosed release is announced", sp => sp.Get<TicketNotices>().OnDisclosedAsync);
        services.AddReactionToAll<Ticket, TicketChange>("notices: the provider and the sites hear of changes", sp => sp.Get<TicketNotices>().TellPeopleAsync);
        services.AddReactionToAll<Ticket, TicketChange>("notices: posted cards follow the ticket", sp => sp.Get<TicketNotices>().UpdateCardAsync);
        return services;
    }

    private async Task OnVerifiedAsync(ReactionContext ctx, Ticket ticket, StateMoved move)
    {
        if (move.To != TicketState.Verified) return;
        var card = ReleaseNoticeCard.Message(ticket, await ReleaseCardFacts.ReadAsync(ctx.Db, ticket, calendars, ctx.Now, ctx.Ct));
        var key = $"ticket:{ticket.Id}:verified";
        var cardKey = ReleaseNoticeCard.CardKey(ticket.Id);
        if (!ticket.IsRestricted)
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.Channel(NoticePurposes.EarlyAdopters, ticket.Stack), card, cardKey, ctx.Ct);
        else
            foreach (var admin in await CommittedAdminsAsync(ctx.Db, ticket.Component, ctx.Ct))
                await outbox.AddAsync(ctx.Db, key, NoticeRecipient.User(admin), card, cardKey, ctx.Ct);
    }

    private Task OnProductionAsync(ReactionContext ctx, Ticket ticket, ProductionRepositorySet _) => AnnounceAsync(ctx, ticket);

    private Task OnDisclosedAsync(ReactionContext ctx, Ticket ticket, Disclosed _) => AnnounceAsync(ctx, ticket);

    /// <summary>§2.4 3.9 and §5: every site is told once the packages are in production, and never while the release is embargoed.</summary>
    private async Task AnnounceAsync(ReactionContext ctx, Ticket ticket)
    {
        if (ticket.GoesToProduction && !ticket.IsRestricted && ticket.ProductionRepositoryUrl is not null)
            await outbox.AddAsync(ctx.Db, $"ticket:{ticket.Id}:production", NoticeRecipient.Channel(NoticePurposes.Broadcast), Announcement(ticket), ctx.Ct);
    }

    /// <summary>
    /// The provider hears of everything about their release (§2.4 1.1, 3.5); the sites taking part of its state moves and
    /// of its comments (§5: the whole conversation is in the ticket). The author of a change is not told of it.
    /// </summary>
    private async Task TellPeopleAsync(ReactionContext ctx, Ticket ticket, IReadOnlyList<TicketChange> changes)
    {
        var told = changes.Where(c => c is not (TicketOpened or TargetMissed)).ToList();
        if (told.Count == 0) return;
        var siteAdmins = told.Any(ForSites) ? await TicketAudience.ParticipantsAsync(ctx.Db, ticket, ctx.Ct) : [];
        var entitled = await audience.EntitledAsync(ctx.Db, ticket, siteAdmins.Append(ticket.ProviderId), ctx.Ct);
        // One message per person for what this command did (seed 002 §2.4: one notice per real change).
        var forSites = told.Where(ForSites).ToList();
        foreach (var person in siteAdmins.Append(ticket.ProviderId).Distinct().Where(p => p != ctx.By.UserId && entitled.Contains(p)))
        {
            var theirs = person == ticket.ProviderId ? told : forSites;
            if (theirs.Count == 0) continue;
            var key = NoticeKey(ticket, theirs.OfType<StateMoved>().FirstOrDefault() ?? theirs[0], ctx);
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.User(person), ChangeNotice.Of(ticket, theirs, ctx.By, ctx.Now), ctx.Ct);
        }
    }

    private static bool ForSites(TicketChange change) => change is StateMoved or Commented;

    /// <summary>
    /// Every copy of the release card already posted is redrawn from the ticket as it is now. A comment is not on the
    /// card (it goes to the people in <see cref="TellPeopleAsync"/>), so a command that only commented redraws nothing.
    /// </summary>
    private async Task UpdateCardAsync(ReactionContext ctx, Ticket ticket, IReadOnlyList<TicketChange> changes)
    {
        if (changes.Any(c => c is StateMoved { To: TicketState.Verified })) return; // just posted, with this content
        if (changes.All(c => c is Commented)) return;
        var cardKey = ReleaseNoticeCard.CardKey(ticket.Id);
        if (!await ctx.Db.Notices.AnyAsync(n => n.CardKey == cardKey, ctx.Ct)) return;
        var facts = await ReleaseCardFacts.ReadAsync(ctx.Db, ticket, calendars, null, ctx.Ct);
        await outbox.AddCardUpdateAsync(ctx.Db, cardKey, ReleaseNoticeCard.Message(ticket, facts), ctx.Ct);
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

    /// <summary>
    /// The broadcast (§2.4 3.9, §5): what is released, whether it is a security update (with its advisory), the known
    /// issues and workarounds of a warning or the success summary, the production repository, the release notes.
    /// </summary>
    public static string Announcement(Ticket ticket)
    {
        // Everything typed by someone (names, version, summary) is made inert: the broadcast reaches every site (12.12).
        static string E(string? t) => Cards.CardText.Escape(t);
        var sites = ticket.Participations.Where(p => p.DoneAt is not null).Select(p => E(p.SiteName)).ToList();
        var text = new System.Text.StringBuilder();
        if (ticket.IsSecurityRelease) text.Append("Security update: ");
        text.Append($"{E(ticket.Component)} {E(ticket.Version)} ({E(ticket.Stack)}, {ticket.Type.ToName()}) goes to production");
        text.Append(ticket.Outcome == Outcome.Warning ? " with warnings" : "");
        text.Append(sites.Count > 0 ? $" after staged rollout at {string.Join(", ", sites)}." : ".");
        if (ticket.SecurityAdvisoryUrl is { } advisory) text.Append($"\nSecurity advisory: {advisory}");
        if (!string.IsNullOrWhiteSpace(ticket.Summary))
            text.Append(ticket.Outcome == Outcome.Warning ? $"\nKnown issues and workarounds: {E(ticket.Summary)}" : $"\nSummary: {E(ticket.Summary)}");
        if (ticket.ProductionRepositoryUrl is { } packages) text.Append($"\nPackages: {packages}");
        if (ticket.NotesUrl is not null) text.Append($"\nRelease notes: {ticket.NotesUrl}");
        return text.ToString();
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
