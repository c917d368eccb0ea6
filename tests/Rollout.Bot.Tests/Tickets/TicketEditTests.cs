using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tickets;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary><c>/ticket edit</c>: who may correct what and when, checked as <c>/release new</c>, each edit in the history and on the card.</summary>
public abstract class TicketEditTests(PostgresServer? postgres) : IAsyncLifetime
{
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
    public async Task Provider_EditsOwnTicketBeforeVerification_AndTheHistorySaysOldToNew()
    {
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/ticket edit #{n} version=1.2.4 docs=https://rel.example.org/docs", TicketWorld.Provider);

        Assert.Contains("- version: 1.2.3 → 1.2.4", reply);
        Assert.Contains("- docs: not set → https://rel.example.org/docs", reply);
        var ticket = await _w.DbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == n));
        Assert.Equal("1.2.4", ticket.Version);
        var edits = await _w.DbAsync(db => db.TicketHistory.AsNoTracking().Where(h => h.TicketId == n && h.Kind == TicketEdited.Kind).ToListAsync());
        Assert.Equal([new TicketEdited("version", "1.2.3", "1.2.4"), new TicketEdited("docs", null, "https://rel.example.org/docs")],
            edits.OrderBy(h => h.Id).Select(h => h.Change));
        Assert.Contains("Prov: edited version 1.2.3 → 1.2.4", await _w.SayAsync($"/ticket #{n}", TicketWorld.Bob));
    }

    [Fact]
    public async Task AfterVerification_OnlyACoordinatorEdits_AndThePostedCardFollows()
    {
        var n = await _w.VerifiedAsync();

        var refused = await _w.SayAsync($"/ticket edit #{n} version=1.2.4", TicketWorld.Provider);
        Assert.Contains("only coordinators can", refused);
        Assert.Contains("Only the ticket's provider and coordinators can edit", await _w.SayAsync($"/ticket edit #{n} version=1.2.4", TicketWorld.Bob));

        Assert.Contains("- version: 1.2.3 → 1.2.4", await _w.SayAsync($"/ticket edit #{n} version=1.2.4", TicketWorld.Coordinator));

        var cards = await _w.DbAsync(db => db.Notices.AsNoTracking().Where(x => x.CardKey == $"ticket:{n}").Select(x => x.PayloadJson).ToListAsync());
        Assert.NotEmpty(cards);
        Assert.All(cards, card => Assert.Contains("cream 1.2.4", card));
        Assert.All(cards, card => Assert.DoesNotContain("cream 1.2.3", card));
    }

    [Fact]
    public async Task EmergencyRelease_GetsTheLinksItCameWithout()
    {
        var opened = await _w.SayAsync("/release new component=cream version=9.9.9 stack=glite type=emergency", TicketWorld.Provider);
        var n = long.Parse(opened.Split('#')[1].Split(':')[0]);

        var refused = await _w.SayAsync($"/ticket edit #{n} type=minor", TicketWorld.Provider);
        Assert.Contains("I did not change", refused);
        Assert.Contains("notes= is missing", refused);
        Assert.Contains("cert= is missing", refused);

        var reply = await _w.SayAsync($"/ticket edit #{n} type=minor {TicketWorld.Links}", TicketWorld.Provider);
        Assert.Contains("- type: emergency → minor", reply);
        Assert.Contains("- notes: not set → https://rel.example.org/notes", reply);
        Assert.Equal(ReleaseType.Minor, (await _w.DbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == n))).Type);
    }

    [Theory]
    [InlineData("version=", "version= is missing")]
    [InlineData("notes=ftp://x", "notes= must be an absolute http(s) URL")]
    [InlineData("stack=nowhere", "unknown stack 'nowhere'")]
    [InlineData("type=huge", "unknown release type 'huge'")]
    [InlineData("colour=red", "I don't know 'colour='")]
    [InlineData("component=cremoa", "The component of a ticket cannot change")]
    [InlineData("", "Say what to change")]
    [InlineData("security=none", "a security advisory cannot be removed")]
    public async Task BadEdits_AreRefusedSayingWhy_AndChangeNothing(string edit, string why)
    {
        var n = await _w.OpenAsync("security=https://svg.example.org/adv/1");

        var reply = await _w.SayAsync($"/ticket edit #{n} {edit}", TicketWorld.Provider);

        Assert.Contains(why, reply);
        Assert.Equal(0, await _w.DbAsync(db => db.TicketHistory.CountAsync(h => h.TicketId == n && h.Kind == TicketEdited.Kind)));
    }

    [Fact]
    public async Task TypeAndStack_ChangeOnlyBeforeVerification_AndAnAdvisoryIsAddedOnlyWhileCertified()
    {
        var n = await _w.VerifiedAsync();

        var reply = await _w.SayAsync($"/ticket edit #{n} type=major stack=arc security=https://svg.example.org/adv/2", TicketWorld.Coordinator);

        Assert.Contains("type: the type sets the Table 3 time-line", reply);
        Assert.Contains("stack: the stack chose the early-adopter channel", reply);
        Assert.Contains("security: #" + n + " is verified and was not restricted", reply);
        Assert.Equal("minor", (await _w.DbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == n))).Type.ToName());
    }

    [Fact]
    public async Task AddingAnAdvisory_WhileCertified_RestrictsTheTicket_AndTellsTheSecurityGroup()
    {
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/ticket edit #{n} security=https://svg.example.org/adv/3", TicketWorld.Provider);

        Assert.Contains("now **restricted**", reply);
        Assert.Contains("There is no ticket", await _w.SayAsync($"/ticket #{n}", TicketWorld.Bob));
        var told = await _w.NoticesAsync(n);
        Assert.Contains(told, t => t.Recipient == "channel:security" && t.Text.Contains("is restricted from now on"));
    }

    [Fact]
    public async Task ChangingTheType_MovesTheTable3Targets()
    {
        var n = await _w.OpenAsync();
        Task<List<DateTimeOffset>> Targets() => _w.DbAsync(db => db.Reminders.AsNoTracking()
            .Where(r => r.Subject == $"ticket:{n}" && r.Rule == TicketTimerRules.Target && r.State == ReminderState.Pending)
            .Select(r => r.DueAt).ToListAsync());
        var before = await Targets();

        Assert.Contains("- type: minor → emergency", await _w.SayAsync($"/ticket edit #{n} type=emergency", TicketWorld.Provider));

        var after = await Targets();
        Assert.Equal(2, after.Count);
        Assert.True(after.Max() < before.Max(), $"the emergency total ({after.Max()}) comes before the minor one ({before.Max()})");
    }
}

public sealed class TicketEditTestsOnSqlite() : TicketEditTests(null);

[Collection(PostgresCollection.Name)]
public sealed class TicketEditTestsOnPostgres(PostgresServer postgres) : TicketEditTests(postgres);
