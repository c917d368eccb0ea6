using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Protocol.Auth;

/// <summary>Bot registration settings, read from the root keys Bot Builder uses.</summary>
public sealed class BotAuthOptions
{
    public const string MultiTenant = "MultiTenant";
    public const string SingleTenant = "SingleTenant";

    public string MicrosoftAppType { get; set; } = MultiTenant;
    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }

    public bool AuthEnabled => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>Bot Builder gets multi-tenant tokens from the botframework.com tenant, single-tenant ones from the bot's own.</summary>
    public string TokenTenant => IsSingleTenant ? MicrosoftAppTenantId! : "botframework.com";

    private bool IsSingleTenant => string.Equals(MicrosoftAppType, SingleTenant, StringComparison.OrdinalIgnoreCase);

    /// <summary>What is wrong with the settings, phrased so the operator knows which key to fix; null when they are usable.</summary>
    public string? Problem()
    {
        if (!string.Equals(MicrosoftAppType, MultiTenant, StringComparison.OrdinalIgnoreCase) && !IsSingleTenant)
            return $"MicrosoftAppType '{MicrosoftAppType}' is not supported: use MultiTenant or SingleTenant (managed identities are not supported).";
        if (!AuthEnabled) return null;
        if (string.IsNullOrWhiteSpace(MicrosoftAppPassword))
            return "MicrosoftAppPassword is required when MicrosoftAppId is set: the bot needs it to get tokens for its replies.";
        if (IsSingleTenant && string.IsNullOrWhiteSpace(MicrosoftAppTenantId))
            return "MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.";
        return null;
    }
}

/// <summary>
/// Where the identity documents and tokens come from. The defaults are Microsoft's public endpoints; tests and
/// sovereign clouds point them elsewhere (section <c>BotAuth</c>).
/// </summary>
public sealed class BotAuthEndpoints
{
    public const string Section = "BotAuth";

    [Required, Url]
    public string ChannelOpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    [Required, Url]
    public string EmulatorOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>Token endpoint base; the tenant and <c>/oauth2/v2.0/token</c> are appended.</summary>
    [Required, Url]
    public string TokenEndpointBase { get; set; } = "https://login.microsoftonline.com";

    /// <summary>
    /// Accepts tokens the Bot Framework Emulator gets from Microsoft Entra. Off unless set: their check rests on the
    /// appid claim alone, which the bot's own outbound token also carries (issue 12 item 4).
    /// </summary>
    public bool AcceptEmulatorTokens { get; set; }
}

/// <summary>Stops the bot at start-up with a message naming the setting to fix.</summary>
public sealed class BotAuthOptionsValidator : IValidateOptions<BotAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, BotAuthOptions options) =>
        options.Problem() is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
