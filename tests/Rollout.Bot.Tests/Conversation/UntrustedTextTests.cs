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
    public async Task JoinWithAMarkdownLinkAsSiteName_IsRefusedSayingWhichCharacter_AndReachesNobody()
    {
        var reply = await _w.SayAsync($"/join site=\"{Link}\" name=Eve email=x@example.org component=cream", TicketWorld.Eve);

        Assert.Contains("letters, digits, spaces and - _ . only", reply);
        Assert.Contains("U+005B", reply);
        Assert.False(await _w.DbAsync(db => db.Notices.AnyAsync(n => n.Recipient == "channel:operations")));
        Assert.False(await _w.DbAsync(db => db.EngagementRequests.AnyAsync()));
    }

    [Fact]
    public async Task JoinWithMarkupInTheAdminsName_ReachesTheOperationsRoomAndItsCardAsPlainText()
    {
        var reply = await _w.SayAsync($"/join site=NEW-SITE name=\"*Boss* {Link}\" email=x@example.org component=cream", TicketWorld.Eve);

        Assert.Contains(@"\[Approve me\](https://evil.example)", reply);
        var card = await _w.DbAsync(db => db.Notices.AsNoTracking().Where(n => n.Recipient == "channel:operations").Select(n => n.PayloadJson).SingleAsync());
        Assert.DoesNotContain(Link, card);
        Assert.Contains(@"\\[Approve me\\](https://evil.example)", card); // JSON-escaped backslashes
        Assert.Contains(@"\\*Boss\\*", card);
        Assert.DoesNotContain(Link, await _w.SayAsync("/requests", TicketWorld.Coordinator));
    }

    [Theory]
    [InlineData("/site add name=\"[x](https://evil.example)\" stack=glite", "U+005B")]
    [InlineData("/site add name=\"A<b>\" stack=glite", "U+003C")]
    [InlineData("/site edit name=Alpha rename=\"**INFN**\"", "U+002A")]
    public async Task SiteNamesWithMarkup_AreRefusedWhereSitesAreNamed(string command, string what)
    {
        var reply = await _w.SayAsync(command, TicketWorld.Coordinator);

        Assert.Contains("letters, digits, spaces and - _ . only", reply);
        Assert.Contains(what, reply);
        Assert.DoesNotContain(await _w.DbAsync(db => db.Sites.Select(x => x.Name).ToListAsync()), n => n.Contains('[') || n.Contains('<') || n.Contains('*'));
    }

    [Fact]
    public async Task ASiteNameKeptBeforeTheRule_IsShownEscapedInSitesSiteShowTheBulletinAndTheBroadcast()
    {
        // A name stored before names were checked (or by an older import) must still be inert wherever it is shown.
        var n = await _w.VerifiedAsync();
        Assert.Contains("accepted", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
        await _w.DbAsync(db => db.Sites.Where(x => x.Name == "Alpha").ExecuteUpdateAsync(u => u.SetProperty(x => x.Name, Link).SetProperty(x => x.NameKey, Rollout.Bot.EarlyAdopters.Sites.Key(Link))));
        await _w.DbAsync(db => db.Participations.ExecuteUpdateAsync(u => u.SetProperty(x => x.SiteName, Link)));

        foreach (var shown in new[]
        {
            await _w.SayAsync("/sites", TicketWorld.Bob),
            await _w.SayAsync($"/site show name=\"{Link}\"", TicketWorld.Coordinator),
            Rollout.Bot.Bulletins.TicketDigest.WaitsIn(await _w.DbAsync(db => db.Tickets.Include(t => t.Participations).SingleAsync(t => t.Id == n))),
        })
        {
            Assert.DoesNotContain(Link, shown);
            Assert.Contains(@"\[Approve me\](https://evil.example)", shown);
        }
        await _w.DbAsync(db => db.Participations.ExecuteUpdateAsync(u => u.SetProperty(x => x.DoneAt, DateTimeOffset.UnixEpoch)));
        var broadcast = Rollout.Bot.Tickets.TicketNotices.Announcement(await _w.DbAsync(db => db.Tickets.Include(t => t.Participations).SingleAsync(t => t.Id == n)));
        Assert.DoesNotContain(Link, broadcast);
        Assert.Contains(@"at \[Approve me\](https://evil.example)", broadcast);
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
