using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// Seed 000's direct work orders and seed 002 §2.4 3.3: a coordinator asks a named site, calls for partners when
/// nobody took a release, and a site may say "not this time" — which the nags and the metrics respect.
/// </summary>
public abstract class DirectedWorkTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync() => _w = await StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Ask_SendsTheNamedSitesAdminsTheRequestAndTheCard()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync();

        var told = await _w.ToldByAsync(n, async () =>
            Assert.Contains("Beta is asked to take", await _w.SayAsync($"/ask #{n} site=beta note=\"you run the only EL9 CE\"", Coordinator)));

        Assert.Equal(["user:u-bob", "user:u-bob", "user:u-prov"], told.Select(t => t.Recipient).Order(StringComparer.Ordinal));
        var bob = told.Where(t => t.Recipient == "user:u-bob").ToList();
        Assert.Contains("Coord asks Beta to take #1 cream 1.2.3 (minor, glite) in staged rollout: “you run the only EL9 CE”", bob[0].Text);
        Assert.Contains("`/accept #1 site=Beta`", bob[0].Text);
        Assert.Contains("ticket.accept", bob[1].Text);
        Assert.Contains(" Coord: site asked — → Beta (you run the only EL9 CE)", await _w.SayAsync($"/ticket #{n}", Coordinator));
    }

    [Fact]
    public async Task Ask_IsRefusedForOthers_UnknownSites_SitesTakingPart_AndUncommittedSitesOfARestrictedRelease()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        var restricted = await _w.VerifiedAsync("security=https://svg.example.org/advisory/3");

        Assert.Contains("Only coordinators can use `/ask`", await _w.SayAsync($"/ask #{n} site=Beta", Alice));
        Assert.Contains("There is no site 'Omega'", await _w.SayAsync($"/ask #{n} site=Omega", Coordinator));
        Assert.Contains("Alpha already took part in #1: accepted", await _w.SayAsync($"/ask #{n} site=Alpha", Coordinator));
        Assert.Contains("it may only go to sites committed to cream, and Beta is not",
            await _w.SayAsync($"/ask #{restricted} site=Beta", Coordinator));
        Assert.DoesNotContain(await _w.NoticesAsync(restricted), t => t.Recipient == "user:u-bob");
        Assert.Equal(0, await _w.DbAsync(db => db.TicketHistory.CountAsync(h => h.Kind == "site-asked")));
    }

    [Fact]
    public async Task Pass_ByTypingOrFromTheCard_IsRecorded_TheCoordinatorsHear_AndTheNagsLeaveTheSiteAlone()
    {
        await _w.CastAsync();
        await _w.SiteAsync("Gamma", "u-gina", "cream");
        var n = await _w.VerifiedAsync();

        var passed = await _w.ToldByAsync(n, async () =>
            Assert.Contains("Alpha passes on #1 this time", await _w.SayAsync($"/pass #{n} reason=\"CE in downtime until Friday\"", Alice)));
        Assert.Contains(passed, t => t.Recipient == "channel:operations" && t.Text == "Alpha passes on #1 cream 1.2.3 (minor) this time: CE in downtime until Friday");
        Assert.Contains("already said not this time", await _w.SayAsync($"/pass #{n} reason=\"again\"", Alice));

        Assert.Contains("Gamma passes on #1 this time", await ClickAsync("u-gina", new { verb = "ticket.pass", ticket = n.ToString(), reason = "no EL9 yet" }));
        var everyone = (await _w.NoticesAsync(n)).Single(t => t.Key == $"ticket:{n}:hand-off:all-passed");
        Assert.Contains("Every site committed to cream passed on #1", everyone.Text);
        Assert.Contains("`/call #1`", everyone.Text);

        var shown = await _w.SayAsync($"/ticket #{n}", Eve);
        Assert.Contains("- Alpha: not this time, said by Alice", shown);
        Assert.Contains("- Gamma: not this time, said by Gina", shown);
        Assert.Contains("accepted", await _w.SayAsync($"/accept #{n}", Alice)); // a change of mind is still welcome
    }

    [Fact]
    public async Task Pass_IsRefusedWithoutAReason_ForSitesTakingPart_AndOnceTheReleaseIsClosed()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        Assert.Contains("Say why with reason=", await _w.SayAsync($"/pass #{n}", Bob));
        Assert.Contains("All your sites already take part in #1", await _w.SayAsync($"/pass #{n} reason=\"busy\"", Alice));
        Assert.Contains("Only site admins of early-adopter sites can use `/pass`", await _w.SayAsync($"/pass #{n} reason=\"busy\"", Eve));
        await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", Alice);
        await _w.SayAsync($"/close #{n} outcome=success summary=\"fine\"", Coordinator);
        Assert.Contains("there is nothing to decline", await _w.SayAsync($"/pass #{n} reason=\"busy\"", Bob));
        Assert.Equal(0, await _w.DbAsync(db => db.SiteDeclines.CountAsync()));
    }

    [Fact]
    public async Task Call_GoesToTheStacksSitesNotCommittedNorPassed_AndOnlyWhenNobodyTookIt()
    {
        await _w.CastAsync();
        await _w.SiteAsync("Gamma", "u-gina");
        await _w.SiteAsync("Delta", "u-dora");
        var n = await _w.VerifiedAsync();
        await _w.SayAsync($"/pass #{n} reason=\"no effort this month\"", "u-dora");

        var told = await _w.ToldByAsync(n, async () =>
            Assert.Equal($"Call for partners on #{n} cream 1.2.3: sent to the admins of Beta, Gamma.", await _w.SayAsync($"/call #{n}", Coordinator)));

        Assert.Equal(["user:u-bob", "user:u-gina"], told.Where(t => t.Key.StartsWith($"ticket:{n}:call:") && !t.Key.EndsWith(":card"))
            .Select(t => t.Recipient).Order(StringComparer.Ordinal));
        Assert.Contains("Your site is not committed to cream, but any early adopter may take a release", told.First(t => t.Recipient == "user:u-bob").Text);
        Assert.DoesNotContain(told, t => t.Recipient is "user:u-alice" or "user:u-dora");

        await _w.SayAsync($"/accept #{n}", Bob);
        Assert.Contains("a call for partners is for a verified release that no site has taken", await _w.SayAsync($"/call #{n}", Coordinator));
    }

    [Fact]
    public async Task Call_IsRefusedForARestrictedRelease()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync("security=https://svg.example.org/advisory/4");

        Assert.Contains("is restricted: it may not be offered beyond the sites committed", await _w.SayAsync($"/call #{n}", Coordinator));
        Assert.DoesNotContain(await _w.NoticesAsync(n), t => t.Recipient == "user:u-bob");
    }

    [Fact]
    public async Task NewRelease_SoonerThanTheFrequencyRuleAllows_IsOpenedWithAWarningInTheReplyAndTheHistory()
    {
        await _w.CastAsync();
        var first = await _w.OpenAsync(type: "revision");
        await _w.OpenAsync(type: "minor");

        var reply = await _w.SayAsync($"/release new component=CREAM version=1.2.4 stack=glite type=revision {Links}", Provider);
        var emergency = await _w.SayAsync($"/release new component=cream version=1.2.5 stack=glite type=emergency", Provider);
        var otherComponent = await _w.SayAsync($"/release new component=dpm new-component=yes version=1.9 stack=glite type=revision {Links}", Provider);

        Assert.Contains("Opened ticket #3", reply);
        Assert.Contains($"Note: §2.2 allows a revision release at most once every two weeks per component, and cream had #{first} opened", reply);
        Assert.DoesNotContain("§2.2", emergency);
        Assert.DoesNotContain("§2.2", otherComponent);
        Assert.Contains($"release frequency — → #{first} (§2.2: a revision release at most once every two weeks", await _w.SayAsync("/ticket #3", Coordinator));
    }

    [Fact]
    public async Task FrequencyRule_NeverComparesWithAnEmbargoedRelease()
    {
        await _w.CastAsync();
        await _w.OpenAsync("security=https://svg.example.org/advisory/5", type: "revision");

        Assert.DoesNotContain("§2.2", await _w.SayAsync($"/release new component=cream version=1.2.4 stack=glite type=revision {Links}", Provider));
    }

    /// <summary>An Action.Submit click as Web Chat posts it; returns the bot's answer to that very click.</summary>
    private async Task<string> ClickAsync(string userId, object value)
    {
        var click = BotApp.Message("", userId, Names(userId), "conv-" + userId);
        click.Text = null;
        click.Value = System.Text.Json.JsonSerializer.SerializeToElement(value);
        var before = _w.App.Connector.Calls.Count;
        (await _w.App.PostAsync(click)).EnsureSuccessStatusCode();
        for (var seen = before + 1; ; seen++)
        {
            var calls = await _w.App.Connector.WaitForCallsAsync(seen);
            if (calls.Skip(before).Select(c => c.Activity).FirstOrDefault(a => a.ReplyToId == click.Id) is { } reply) return reply.Text ?? "";
        }
    }
}

public sealed class DirectedWorkTestsOnSqlite() : DirectedWorkTests(null);

[Collection(PostgresCollection.Name)]
public sealed class DirectedWorkTestsOnPostgres(PostgresServer postgres) : DirectedWorkTests(postgres);
