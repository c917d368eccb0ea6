namespace Rollout.Bot.Protocol.Auth;

/// <summary>Bot registration settings, read from the root keys Bot Builder uses.</summary>
public sealed class BotAuthOptions
{
    public string MicrosoftAppType { get; set; } = "MultiTenant";
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    public bool AuthEnabled => !string.IsNullOrWhiteSpace(MicrosoftAppId);
}
