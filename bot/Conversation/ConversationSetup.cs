using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

public static class ConversationSetup
{
    public static IServiceCollection AddConversation(this IServiceCollection services)
    {
        services.AddSingleton<CommandRegistry>();
        services.AddSingleton<CardActionRegistry>();
        services.AddSingleton<IBot, RolloutBot>();
        services.AddOptions<RoleOptions>().BindConfiguration(RoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallerResolver>();
        services.AddCommand(HelpCommand.Definition);
        return services;
    }
}
