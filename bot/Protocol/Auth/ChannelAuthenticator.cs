using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol.Auth;

public sealed record AuthResult(bool Succeeded, string? Failure)
{
    public static readonly AuthResult Anonymous = new(true, null);
    public static AuthResult Fail(string why) => new(false, why);
}

/// <summary>Checks the channel's bearer token on an inbound activity.</summary>
public sealed class ChannelAuthenticator(IOptions<BotAuthOptions> options)
{
    public bool Enabled => options.Value.AuthEnabled;

    public Task<AuthResult> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken ct)
    {
        if (!Enabled) return Task.FromResult(AuthResult.Anonymous);
        return Task.FromResult(AuthResult.Fail("JWT validation is not wired yet."));
    }
}
