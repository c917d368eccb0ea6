using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.Conversation;

/// <summary>Issue 12, items 12 and 16: what people type never becomes live markdown, and no one acts under an id that hides characters.</summary>
public abstract class UntrustedTextTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Link = "[Approve me](https://evil.example)";
    private TicketWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await TicketWorld.StartAsync(postgres);
        await _w.CastAsync();
    }

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task JoinWithAMarkdownLinkAsSiteName_ReachesTheOperationsRoomAndItsCardAsPlainText()
    {
        var reply = await _w.SayAsync($"/join site=\"{Link}\" name=\"*Boss*\" email=x@example.org component=cream", TicketWorld.Eve);

        Assert.Contains(@"\[Approve me\]\(https://evil.example\)", reply);
        var card = await _w.DbAsync(db => db.Notices.AsNoTracking().Where(n => n.Recipient == "channel:operations").Select(n => n.PayloadJson).SingleAsync());
        Assert.DoesNotContain(Link, card);
        Assert.Contains(@"\\[Approve me\\]\\(https://evil.example\\)", card); // JSON-escaped backslashes
        Assert.Contains(@"\\*Boss\\*", card);
        Assert.DoesNotContain(Link, await _w.SayAsync("/requests", TicketWorld.Coordinator));
    }

    [Fact]
    public async Task VersionsReasonsAndSiteNames_AreEscapedOnTheReleaseCardAndInNoticesAndTheTicket()
    {
        var n = await _w.VerifiedAsync();
        Assert.Contains("edited", await _w.SayAsync($"/ticket edit #{n} version=\"1.2.3 {Link}\"", TicketWorld.Coordinator));
        Assert.Contains("accepted", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Contains("recorded", await _w.SayAsync($"/report #{n} outcome=warning notes=\"see {Link}\"", TicketWorld.Alice));

        var card = await _w.DbAsync(db => db.Notices.AsNoTracking().Where(x => x.CardKey == $"ticket:{n}").Select(x => x.PayloadJson).FirstAsync());
        Assert.DoesNotContain(Link, card);
        var told = await _w.NoticesAsync(n);
        Assert.All(told, t => Assert.DoesNotContain(Link, t.Message.Text ?? ""));
        Assert.Contains(told, t => (t.Message.Text ?? "").Contains(@"\[Approve me\]", StringComparison.Ordinal));
        Assert.DoesNotContain(Link, await _w.SayAsync($"/ticket #{n}", TicketWorld.Bob));
    }

    [Fact]
    public async Task SomeoneWhoseIdHidesCharacters_IsToldWhy_AndNothingRuns()
    {
        var reply = await _w.App.SayAsync("/release new component=cream version=1 stack=glite type=minor " + TicketWorld.Links,
            "u-\u200Bprov", "Prov", "conv-hidden");

        Assert.Contains("I cannot act for your chat user id", reply);
        Assert.Contains("U+200B", reply);
        Assert.Equal(0, await _w.DbAsync(db => db.Tickets.CountAsync()));
        Assert.Contains("U+202E", await _w.SayAsync("/role grant user=u-\u202Eeve role=provider", TicketWorld.Coordinator));
    }
}

public sealed class UntrustedTextTestsOnSqlite() : UntrustedTextTests(null);

[Collection(PostgresCollection.Name)]
public sealed class UntrustedTextTestsOnPostgres(PostgresServer postgres) : UntrustedTextTests(postgres);
