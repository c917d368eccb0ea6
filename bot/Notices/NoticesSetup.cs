using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Notices;

/// <summary>The stacks an early-adopters channel can be bound for: <c>Rollout:Stacks</c>, or the seed's defaults.</summary>
public sealed class NoticeStacks(IConfiguration configuration)
{
    public IReadOnlyList<string> Names { get; } = configuration.GetSection("Rollout:Stacks").Get<string[]>() is { Length: > 0 } configured
        ? configured.Select(s => s.Trim().ToLowerInvariant()).ToArray()
        : NoticesOptions.DefaultStacks;

    public string? Find(string? typed) =>
        Names.FirstOrDefault(s => string.Equals(s, typed?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public static class NoticesSetup
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticesOptions>().BindConfiguration(NoticesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NoticeStacks>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<NoticeDelivery>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<PersonalConversations>();
        services.AddSingleton<IInboundObserver>(sp => sp.GetRequiredService<PersonalConversations>());
        services.AddHostedService<OutboxWorker>();
        services.AddCommand(ChannelCommands.Channel);
        services.AddCommand(ChannelCommands.Channels);
        services.AddCommand(OutboxCommands.Definition);
        return services;
    }
}
