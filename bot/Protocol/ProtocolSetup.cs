using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Connector;

namespace Rollout.Bot.Protocol;

public static class ProtocolSetup
{
    public static IServiceCollection AddProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotAuthOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotAuthOptions>, BotAuthOptionsValidator>();
        services.AddOptions<BotAuthEndpoints>().BindConfiguration(BotAuthEndpoints.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(OpenIdMetadata.HttpClientName);
        services.AddHttpClient(ConnectorTokenProvider.HttpClientName);
        services.AddSingleton<OpenIdMetadata>();
        services.AddSingleton<ChannelAuthenticator>();
        services.AddHostedService<AuthModeAnnouncer>();
        services.AddSingleton<ConnectorTokenProvider>();
        services.AddSingleton<ConnectorRetry>();
        services.AddSingleton<ActivityDeduplicator>();
        // The ConnectorClient signs its calls to the local channel with the Direct Line key, whether that channel is on or not.
        services.TryAddSingleton<DirectLine.DirectLineTokens>();
        services.TryAddSingleton<DirectLine.LocalChannel>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<PersonalConversations>();
        services.AddSingleton<IInboundObserver>(sp => sp.GetRequiredService<PersonalConversations>());
        services.AddSingleton<ProactiveDelivery>();
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboundQueue>();
        services.AddSingleton<BotAdapter>();
        // The typed client lives as long as the singleton OutboundSender that holds it, so its handler never rotates:
        // PooledConnectionLifetime makes it reconnect (and see DNS changes of a channel host) every few minutes instead.
        // No redirects: the bot's token must never follow a 3xx to a host nobody vouched for. No per-request
        // Information logs from the factory's logging handlers: failures are logged once, as typed warnings.
        services.AddHttpClient<IConnector, ConnectorClient>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddHostedService<OutboundSender>();
        return services;
    }
}
