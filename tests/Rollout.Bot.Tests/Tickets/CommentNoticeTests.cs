using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>§5: the conversation is in the ticket, so a comment reaches the provider and the sites taking part (§2.4 3.5).</summary>
public abstract class CommentNoticeTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Comment_ReachesTheProviderAndTheSitesTakingPart_NotItsAuthorNorOthers()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        await _w.SiteAsync("Gamma", "u-gina", "cream");
        await _w.SayAsync($"/accept #{n}", "u-gina");

        var told = await _w.ToldByAsync(n, () => _w.SayAsync($"/comment #{n} \"the CE needs a restart after the upgrade\"", Alice));

        Assert.Equal(["user:u-gina", "user:u-prov"], told.Select(t => t.Recipient).Order(StringComparer.Ordinal));
        Assert.All(told, t => Assert.Equal($"#{n} cream 1.2.3 has a new comment: “the CE needs a restart after the upgrade” (Alice).", t.Text));

        var fromProvider = await _w.ToldByAsync(n, () => _w.SayAsync($"/comment #{n} \"fixed in the next revision\"", Provider));
        Assert.Equal(["user:u-alice", "user:u-gina"], fromProvider.Select(t => t.Recipient).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CommentOnARestrictedRelease_SkipsASiteNoLongerEntitledToSeeIt()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync("security=https://svg.example.org/advisory/9");
        await _w.DbAsync(db => db.Commitments.ExecuteUpdateAsync(c => c.SetProperty(x => x.EndedAt, DateTimeOffset.UtcNow)));

        var told = await _w.ToldByAsync(n, () => _w.SayAsync($"/comment #{n} \"the advisory is updated\"", Coordinator));

        Assert.Equal(["user:u-prov"], told.Select(t => t.Recipient));
    }
}

public sealed class CommentNoticeTestsOnSqlite() : CommentNoticeTests(null);

[Collection(PostgresCollection.Name)]
public sealed class CommentNoticeTestsOnPostgres(PostgresServer postgres) : CommentNoticeTests(postgres);
