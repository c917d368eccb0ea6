using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Notices;

/// <summary>The stacks an early-adopters channel can be bound for: the shared <c>Rollout:Stacks</c> list.</summary>
public sealed class NoticeStacks(IOptions<RolloutOptions> options)
{
    public IReadOnlyList<string> Names => options.Value.Stacks;

    public string? Find(string? typed) => options.Value.FindStack(typed);
}

public static class NoticesSetup
{
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticesOptions>().BindConfiguration(NoticesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NoticeStacks>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<IReachabilityListener, ParkedForPerson>();
        services.AddHostedService<OutboxWorker>();
        services.AddCommand(sp => ChannelCommands.Channel(sp.Get<Outbox>(), sp.Get<NoticeStacks>()));
        services.AddCommand(sp => ChannelCommands.Channels(sp.Get<NoticeStacks>()));
        services.AddCommand(sp => OutboxCommands.Definition(sp.Get<Outbox>()));
        services.AddOptions<Mail.MailOptions>().BindConfiguration(Mail.MailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<Mail.MailOptions>, Mail.MailOptionsValidator>();
        services.AddSingleton<Mail.MailSender>();
        services.AddCommand(sp => Mail.MailCommands.Definition(sp.Get<NoticeStacks>(), sp.Get<IOptions<Mail.MailOptions>>()));
        return services;
    }
}
