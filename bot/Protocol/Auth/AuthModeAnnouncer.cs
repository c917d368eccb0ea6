using Microsoft.Extensions.Options;

namespace Rollout.Bot.Protocol.Auth;

/// <summary>Says once at start-up whether the bot checks tokens, so a bot left in local mode is noticed in the log.</summary>
public sealed class AuthModeAnnouncer(IOptions<BotAuthOptions> options, IOptions<BotAuthEndpoints> endpoints, ILogger<AuthModeAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var auth = options.Value;
        if (auth.AuthEnabled)
        {
            logger.LogInformation("Bot authentication is ON for app id {AppId} ({AppType})", auth.MicrosoftAppId, auth.MicrosoftAppType);
            if (endpoints.Value.AcceptEmulatorTokens)
                logger.LogWarning("BotAuth:AcceptEmulatorTokens is on: tokens the Bot Framework Emulator got from Microsoft Entra for this app id are accepted");
            else
                logger.LogInformation("Emulator-issued tokens are refused (set BotAuth:AcceptEmulatorTokens=true to test with the Emulator)");
        }
        else
            logger.LogWarning("MicrosoftAppId is not set: the bot runs WITHOUT authentication (local mode) and accepts any caller. Set MicrosoftAppId, MicrosoftAppPassword (and MicrosoftAppTenantId for SingleTenant) before exposing it.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
