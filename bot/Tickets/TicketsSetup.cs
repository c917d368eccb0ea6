using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

public static class TicketsSetup
{
    public static IServiceCollection AddTickets(this IServiceCollection services)
    {
        services.AddOptions<TicketOptions>().BindConfiguration(TicketOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TicketRunner>();
        services.AddTicketTimers();
        services.AddSingleton<TicketNotices>();

        services.AddCommand(ReleaseNew.Definition);
        services.AddCardVerb(ReleaseForm.Definition);
        services.AddCommand(Unverified.Definition);
        services.AddCommand(Verification.Verify);
        services.AddCommand(Verification.Reject);
        services.AddCommand(Accept.Definition);
        services.AddCommand(Report.Definition);
        services.AddCardVerb(TicketCardActions.AcceptDefinition);
        services.AddCardVerb(TicketCardActions.ReportDefinition);
        services.AddCommand(Closing.Close);
        services.AddCommand(Closing.Withdraw);
        services.AddCommand(Closing.Emergency);
        services.AddCommand(Disclose.Definition);
        services.AddCommand(Comment.Definition);
        services.AddCommand(ShowTicket.Definition);
        services.AddCommand(ListTickets.Definition);
        return services;
    }
}
