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
        services.AddSingleton<ConversationStore>();
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboundQueue>();
        services.AddSingleton<BotAdapter>();
        services.AddHttpClient<IConnector, ConnectorClient>();
        services.AddHostedService<OutboundSender>();
        return services;
    }
}
