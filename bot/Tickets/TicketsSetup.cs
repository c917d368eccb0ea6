using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>The staged-rollout tickets: their commands and card buttons, and the reactions to what happens to them.</summary>
public static class TicketsSetup
{
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddCommand(sp => ReleaseNew.Definition(sp.Options<RolloutOptions>(), sp.Get<ComponentCatalogue>()));
        services.AddCardVerb(ReleaseNew.Card);
        services.AddCommand(Unverified.Definition);
        services.AddCommand(Verification.Verify);
        services.AddCommand(Verification.Reject);
        services.AddCommand(Accept.Definition);
        services.AddCardVerb(Accept.Card);
        services.AddCommand(Report.Definition);
        services.AddCardVerb(Report.Card);
        services.AddCommand(sp => ViewCard.Definition(sp.Get<Scheduling.WorkingCalendars>(), sp.Get<Notices.Outbox>()));
        services.AddCardVerb(ViewCard.Card);
        services.AddCommand(Closing.Close);
        services.AddCardVerb(Closing.CloseCard);
        services.AddCommand(Closing.Withdraw);
        services.AddCommand(Closing.Emergency);
        services.AddCommand(Disclose.Definition);
        services.AddCommand(Cancel.Definition);
        services.AddCommand(Production.Definition);
        services.AddCommand(Comment.Definition);
        services.AddCommand(sp => ShowTicket.Definition(sp.Options<RolloutOptions>()));
        services.AddCommand(sp => ListTickets.Definition(sp.Options<RolloutOptions>()));

        // A restricted release's new component stays out of the public catalogue until the release is disclosed (12.7).
        services.AddReaction<Ticket, Disclosed>("catalogue: a disclosed release's new component is listed", sp => async (ctx, ticket, _) =>
            await sp.Get<ComponentCatalogue>().EnsureAsync(ctx.Db, ticket.Component, ticket.Stack, ticket.ProviderId, ctx.Ct));
        TicketStepTimes.AddStepTimes(services);
        TicketNotices.AddTicketNotices(services);
        TicketHandOffs.AddHandOffs(services);
        SecurityNotices.AddSecurityNotices(services);
        DirectedWork.AddDirectedWork(services);
        services.AddTicketTimers();
        return services;
    }
}
