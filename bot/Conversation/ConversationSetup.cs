using Rollout.Bot.Protocol;

namespace Rollout.Bot.Conversation;

public static class ConversationSetup
{
    public static IServiceCollection AddConversation(this IServiceCollection services)
    {
        services.AddSingleton<CommandRegistry>();
        services.AddSingleton<CardActionRegistry>();
        services.AddSingleton<Reactions>();
        services.AddSingleton<CommandPipeline>();
        services.AddSingleton<PrivateAnswers>();
        services.AddSingleton<Welcome>();
        services.AddSingleton<IBot, RolloutBot>();
        services.AddOptions<RoleOptions>().BindConfiguration(RoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallerResolver>();
        // The help lists the registry it is part of, so it reaches the registry once it exists.
        services.AddCommand(sp => HelpCommand.Definition(new Lazy<CommandRegistry>(sp.Get<CommandRegistry>)));
        return services;
    }
}
