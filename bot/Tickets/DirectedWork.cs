using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The notices of the coordinators' direct work orders and of the sites' answers (seed 000; seed 002 §2.4 3.3): an
/// asked site's admins and the sites called for partners get the release card with the request, kept current like
/// every copy of it; a site passing is told to the operations room, which also hears when every committed site passed.
/// </summary>
public sealed class DirectedWork(Outbox outbox, TicketAudience audience, WorkingCalendars calendars)
{
    public static IServiceCollection AddDirectedWork(IServiceCollection services)
    {
        services.AddSingleton<DirectedWork>();
        services.AddCommand(Ask.Definition);
        services.AddCommand(Pass.Definition);
        services.AddCardVerb(Pass.Card);
        services.AddCommand(CallForPartners.Definition);
        services.AddCardVerb(CallForPartners.Card);
        services.AddReaction<Ticket, SiteAsked>("directed work: an asked site gets the release card", sp => sp.Get<DirectedWork>().OnAskedAsync);
        services.AddReaction<Ticket, PartnersCalled>("directed work: the sites called get the release card", sp => sp.Get<DirectedWork>().OnCalledAsync);
        services.AddReaction<Ticket, SiteDeclined>("directed work: the coordinators hear a site passed", sp => sp.Get<DirectedWork>().OnDeclinedAsync);
        return services;
    }

    private async Task OnAskedAsync(ReactionContext ctx, Ticket ticket, SiteAsked asked)
    {
        var text = $"{ctx.By.Name} asks {asked.Site} to take {ticket.Number} {ticket.Component} {ticket.Version} ({ticket.Type.ToName()}, {ticket.Stack}) " +
            $"in staged rollout{(asked.Note is { } note ? $": “{note}”" : ".")} `/accept {ticket.Number} site={Quoted(asked.Site)}`, " +
            $"or `/pass {ticket.Number} site={Quoted(asked.Site)} reason=\"…\"` if not this time.";
        await CardToSitesAsync(ctx, ticket, [asked.SiteId], $"ticket:{ticket.Id}:asked:{asked.SiteId}:{ctx.Now.UtcTicks}", text);
    }

    private async Task OnCalledAsync(ReactionContext ctx, Ticket ticket, PartnersCalled called)
    {
        var names = called.Sites.Select(EarlyAdopters.Sites.Key).ToList();
        var sites = await ctx.Db.Sites.AsNoTracking().Where(x => x.RemovedAt == null && names.Contains(x.NameKey)).Select(x => x.Id).ToListAsync(ctx.Ct);
        var text = $"Call for partners: no site has taken {ticket.Number} {ticket.Component} {ticket.Version} ({ticket.Type.ToName()}, {ticket.Stack}) yet. " +
            $"Your site is not committed to {ticket.Component}, but any early adopter may take a release in staged rollout." +
            (called.Note is { } note ? $" {ctx.By.Name}: “{note}”" : "") + $" `/accept {ticket.Number}` or `/pass {ticket.Number} reason=\"…\"`.";
        await CardToSitesAsync(ctx, ticket, sites, $"ticket:{ticket.Id}:call:{ctx.Now.UtcTicks}", text);
    }

    private async Task OnDeclinedAsync(ReactionContext ctx, Ticket ticket, SiteDeclined declined)
    {
        var what = TicketTimerRules.Describe(ticket);
        var key = $"ticket:{ticket.Id}:hand-off:passed:{declined.SiteId}";
        var operations = NoticeRecipient.Channel(NoticePurposes.Operations);
        await outbox.AddAsync(ctx.Db, key, operations, ticket.IsRestricted
            ? $"{what}: a committed site passes on it this time; see `/ticket {ticket.Number}`."
            : $"{declined.Site} passes on {what} this time: {declined.Reason}", ctx.Ct);

        if (!ticket.HasNoPartner) return;
        var committed = (await CommittedSites.ForReleaseAsync(ctx.Db, ticket, ctx.Ct)).Select(s => s.Id).ToList();
        await ctx.Db.LoadDeclinesAsync(ticket, ctx.Ct);
        var passed = ticket.Declines.Select(d => d.SiteId).ToHashSet();
        if (committed.Count == 0 || !committed.All(passed.Contains)) return;
        await outbox.AddAsync(ctx.Db, $"ticket:{ticket.Id}:hand-off:all-passed", operations,
            $"Every site committed to {(ticket.IsRestricted ? "its component" : ticket.Component)} passed on {what} and none has taken it. " +
            (ticket.IsRestricted ? $"`/ask {ticket.Number} site=…` another committed site." : $"`/call {ticket.Number}` for partners or `/ask {ticket.Number} site=…`."),
            ctx.Ct);
    }

    /// <summary>
    /// The request, then the release card, to the entitled admins of <paramref name="siteIds"/>: two notices, because
    /// every copy of the card is redrawn from the ticket on each change while the request is said once.
    /// </summary>
    private async Task CardToSitesAsync(ReactionContext ctx, Ticket ticket, IReadOnlyCollection<long> siteIds, string key, string text)
    {
        var card = ReleaseNoticeCard.Message(ticket, await ReleaseCardFacts.ReadAsync(ctx.Db, ticket, calendars, null, ctx.Ct));
        var admins = await audience.EntitledAsync(ctx.Db, ticket, await TicketAudience.SiteAdminsAsync(ctx.Db, siteIds, ctx.Ct), ctx.Ct);
        foreach (var admin in admins.Where(a => a != ctx.By.UserId))
        {
            await outbox.AddAsync(ctx.Db, key, NoticeRecipient.User(admin), text, ctx.Ct);
            await outbox.AddAsync(ctx.Db, key + ":card", NoticeRecipient.User(admin), card, ReleaseNoticeCard.CardKey(ticket.Id), ctx.Ct);
        }
    }

    private static string Quoted(string site) => site.Contains(' ') ? $"\"{site}\"" : site;
}
