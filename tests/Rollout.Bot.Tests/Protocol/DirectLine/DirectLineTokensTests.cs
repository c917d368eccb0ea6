using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tests.Protocol.DirectLine;

public sealed class DirectLineTokensTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
    private readonly StoppedClock _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private DirectLineTokens Tokens() => new(Options.Create(new DataFolderOptions { DataFolder = _folder }),
        Options.Create(new DirectLineOptions { TokenLifetimeSeconds = 1800 }), _clock);

    [Fact]
    public void IssuedToken_ValidatesToItsGrant()
    {
        var token = Tokens().Issue("room:ops", "alice", "Alice", "Ops");

        var grant = Tokens().Validate(token);

        Assert.Equal(new DirectLineGrant("room:ops", "alice", "Alice", "Ops", _clock.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds()), grant);
    }

    [Fact]
    public void Token_AfterItsLifetime_IsRefused()
    {
        var tokens = Tokens();
        var token = tokens.Issue("personal:alice", "alice", null, null);

        _clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));

        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void Token_SignedWithAnotherDataFoldersKey_IsRefused()
    {
        var token = Tokens().Issue("personal:alice", "alice", null, null);
        var elsewhere = new DirectLineTokens(
            Options.Create(new DataFolderOptions { DataFolder = Path.Combine(_folder, "other") }),
            Options.Create(new DirectLineOptions()), _clock);

        Assert.Null(elsewhere.Validate(token));
    }

    [Fact]
    public void Token_WithAChangedPayload_IsRefused()
    {
        var parts = Tokens().Issue("personal:alice", "alice", null, null).Split('.');
        var otherPayload = Tokens().Issue("personal:bob", "bob", null, null).Split('.')[1];

        Assert.Null(Tokens().Validate($"{parts[0]}.{otherPayload}.{parts[2]}"));
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
