using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>
/// Who the local channel's Connector routes answer, and where they live. The bot's ConnectorClient presents a token only
/// this bot can sign (the Direct Line key) to its own serviceUrl; anyone else posting, editing, deleting or listing
/// members there is refused (issue 12 item 2). The serviceUrl is configured or the address the server listens on, never
/// a request's Host header, so a client cannot point a room's notices elsewhere (item 5).
/// </summary>
public sealed class LocalChannel(DirectLineTokens tokens, IOptions<DirectLineOptions> options, IServiceProvider services)
{
    /// <summary>The conversation id of the bot's own grant: no Direct Line conversation is named like this.</summary>
    private const string BotGrant = "bot:connector";

    public string ServiceUrl
    {
        get
        {
            if (options.Value.ServiceUrl is { Length: > 0 } configured) return configured.TrimEnd('/');
            // Read when asked: the addresses are known once the server has started (and a host without one has none).
            var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is null) return "http://localhost";
            // A wildcard binding is reached on the loopback interface from the bot itself.
            return address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost")
                .Replace("://[::]", "://localhost").TrimEnd('/');
        }
    }

    public bool IsLocal(string serviceUrl) => string.Equals(serviceUrl.TrimEnd('/'), ServiceUrl, StringComparison.OrdinalIgnoreCase);

    public string BotToken() => tokens.Issue(BotGrant, options.Value.BotId, null, null);

    /// <summary>True when the request carries the bot's own token.</summary>
    public bool IsBot(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        return tokens.Validate(token) is { ConversationId: BotGrant } grant && grant.UserId == options.Value.BotId;
    }
}
