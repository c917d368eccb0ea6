using Rollout.Bot.Protocol.Auth;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>The built-in Direct Line 3.0 endpoint (configuration section <c>DirectLine</c>).</summary>
public sealed class DirectLineOptions
{
    public const string Section = "DirectLine";

    /// <summary>
    /// Unset means "on when no MicrosoftAppId is configured": the local channel is for development and demos,
    /// while a registered bot talks to Azure's Direct Line and Teams instead.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Seconds a token stays valid; directlinejs refreshes it every 15 minutes.</summary>
    public int TokenLifetimeSeconds { get; set; } = 1800;

    /// <summary>
    /// The bot's own public base URL, where its ConnectorClient delivers replies to this channel. Empty means
    /// "the URL each request came in on", which trusts the client's Host header: required when the bot also
    /// has a MicrosoftAppId, because the bot then sends its Azure token along with every reply.
    /// </summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bot's own account in Direct Line conversations.</summary>
    public string BotId { get; set; } = "rollout-bot";
    public string BotName { get; set; } = "Rollout.Bot";

    public bool IsEnabled(BotAuthOptions auth) => Enabled ?? !auth.AuthEnabled;

    /// <summary>
    /// Whether a client may name the user id (and room) its token speaks for. Without a MicrosoftAppId the bot is a local
    /// tool and anyone may pick an id. With one, picking an id would be picking a role (anyone could be the coordinator),
    /// so only an identity source may say who someone is (issue 12 item 1); without one, tokens are anonymous.
    /// </summary>
    public bool ClientsChooseIdentity(BotAuthOptions auth) => !auth.AuthEnabled;
}
