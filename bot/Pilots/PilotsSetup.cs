using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Pilots;

/// <summary>Pilot services (seed 001 §4.1.3 with seeds 000 and 004): partner bins, pilots, their reminders, credits and contributions.</summary>
public static class PilotsSetup
{
    public static IServiceCollection AddPilots(this IServiceCollection services)
    {
        services.AddOptions<PilotsOptions>().BindConfiguration(PilotsOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Effort.All(e => PilotTasks.Table.ContainsKey(e.Key) && e.Value >= 0),
                $"Pilots:Effort takes tasks {PilotTasks.Names} with person-hours of 0 or more.")
            .ValidateOnStart();
        services.AddSingleton(sp => new PilotTools(sp.Get<Outbox>(), sp.Options<PilotsOptions>(), sp.Get<WorkingCalendars>()));

        services.AddCommand(PartnerCommands.Partner);
        services.AddCommand(PartnerCommands.List);
        services.AddCommand(sp => PilotCommand.Definition(sp.Get<PilotTools>()));
        services.AddCommand(PilotViews.List);
        services.AddCardVerb(PilotCards.Accept);
        services.AddCardVerb(PilotCards.Decline);
        services.AddCardVerb(PilotCards.Feedback);

        PilotTimers.AddPilotTimerReactions(services);
        PilotReminderRules.AddPilotReminderRules(services);
        PilotCredits.AddPilotCredits(services);
        PilotContributions.AddPilotContributions(services);
        return services;
    }
}
