using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.DirectLine;

namespace Rollout.Bot.Identity;

/// <summary>Says once at start-up who the local channel lets people be, so an operator sees which of the three modes is on.</summary>
public sealed class IdentityModeAnnouncer(IOptions<WebChatSignInOptions> signIn, IOptions<DirectLineOptions> directLine,
    IOptions<BotAuthOptions> auth, ILogger<IdentityModeAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = signIn.Value;
        if (!directLine.Value.IsEnabled(auth.Value))
            logger.LogInformation("Identity on the local channel: the local Direct Line is off (no Web Chat page)");
        else if (s.IsConfigured)
            logger.LogInformation("Identity on the local channel: OpenID Connect sign-in at {Authority} (client {ClientId}); user ids are oidc:<issuer host>:<sub>; " +
                "roles from claim {RolesClaim}: coordinator = {CoordinatorGroup}, security = {SecurityGroup}",
                s.Authority, s.ClientId, s.RolesClaim ?? "(none)", s.CoordinatorGroup ?? "(none)", s.SecurityGroup ?? "(none)");
        else if (directLine.Value.ClientsChooseIdentity(auth.Value))
            logger.LogWarning("Identity on the local channel: clients choose their own user id (no MicrosoftAppId, no WebChat:Oidc): anyone may act as anyone, for local use only");
        else
            logger.LogInformation("Identity on the local channel: anonymous only (MicrosoftAppId is set and no WebChat:Oidc sign-in is configured): " +
                "tokens are for made-up dl_… users and a chosen user id or room is refused");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
