using Rollout.Bot.Conversation;

namespace Rollout.Bot.EarlyAdopters;

public static class EarlyAdoptersSetup
{
    public static IServiceCollection AddEarlyAdopters(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section)
            .PostConfigure(o =>
            {
                // Defaults apply only when nothing is configured: the binder appends to a pre-filled list.
                if (o.Stacks.Count == 0) o.Stacks.AddRange(RolloutOptions.DefaultStacks);
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ComponentCatalogue>();
        services.AddSingleton<RegistryOperations>();

        services.AddCommand(sp => SiteCommands.Site(sp.Options<RolloutOptions>()));
        services.AddCommand(SiteCommands.List);
        services.AddCommand(Erasure.Definition);
        services.AddCommand(sp => CommitmentCommands.Commit(sp.Options<RolloutOptions>(), sp.Get<ComponentCatalogue>()));
        services.AddCommand(CommitmentCommands.Uncommit);
        services.AddCommand(CommitmentCommands.Vacancies);
        services.AddCommand(sp => ComponentCommands.Component(sp.Options<RolloutOptions>(), sp.Get<ComponentCatalogue>()));
        services.AddCommand(ComponentCommands.List);
        services.AddCommand(sp => EngagementCommands.Join(sp.Get<Notices.Outbox>()));
        services.AddCommand(EngagementCommands.Requests);
        services.AddCommand(sp => EngagementCommands.Approve(sp.Get<Notices.Outbox>()));
        services.AddCommand(sp => EngagementCommands.Decline(sp.Get<Notices.Outbox>()));
        services.AddCardVerb(EngagementCard.Approve);
        services.AddCardVerb(EngagementCard.Decline);
        return services;
    }
}
