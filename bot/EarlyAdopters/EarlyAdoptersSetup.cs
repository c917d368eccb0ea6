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

        services.AddCommand(SiteCommands.Site);
        services.AddCommand(SiteCommands.List);
        services.AddCommand(CommitmentCommands.Commit);
        services.AddCommand(CommitmentCommands.Uncommit);
        services.AddCommand(CommitmentCommands.Vacancies);
        services.AddCommand(ComponentCommands.Component);
        services.AddCommand(ComponentCommands.List);
        services.AddCommand(EngagementCommands.Join);
        services.AddCommand(EngagementCommands.Requests);
        services.AddCommand(EngagementCommands.Approve);
        services.AddCommand(EngagementCommands.Decline);
        services.AddCardVerb(EngagementCard.ApproveDefinition);
        services.AddCardVerb(EngagementCard.DeclineDefinition);
        return services;
    }
}
