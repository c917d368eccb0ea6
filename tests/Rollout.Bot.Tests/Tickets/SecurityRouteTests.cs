using System.Xml.Linq;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// Seed 002 §2.4 with its security restrictions, from the opening of a restricted release to its disclosure: at each
/// step exactly the party whose turn it is hears of it (plus the provider, who hears of everything, and the security
/// group's room), the coordinators' room only by number, and nobody else — not the uncommitted site, not a bystander.
/// </summary>
public abstract class SecurityRouteTests(PostgresServer? postgres) : IAsyncLifetime
{
    private const string Advisory = "https://svg.example.org/advisory/2026-17";
    private const string Ops = "channel:operations", Sec = "channel:security", Broadcast = "channel:broadcast";
    private TicketWorld _w = null!;

    // Metrics rows are otherwise reused for 30 s: the surfaces are read before and right after the disclosure.
    public async Task InitializeAsync() => _w = await StartAsync(postgres, new() { ["Metrics:CacheSeconds"] = "0" });

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    private static List<string> Who(IEnumerable<Told> told) => told.Select(t => t.Recipient).Distinct().Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task RestrictedRelease_FromOpenToDisclosed_TellsEachPartyAtItsStepAndNobodyElse()
    {
        await _w.CastAsync();
        long n = 0;

        var opened = await _w.ToldByAsync(1, async () => n = await _w.OpenAsync($"security={Advisory}"));
        Assert.Equal(["channel:security", "user:u-repo"], Who(opened));
        Assert.Contains("`/unverified #1`", opened.Single(t => t.Recipient == "user:u-repo").Text);
        Assert.Contains(Advisory, opened.Single(t => t.Recipient == Sec).Text);

        var pulled = await _w.ToldByAsync(n, () => _w.SayAsync($"/unverified #{n}", Repository));
        Assert.Equal([Sec, "user:u-prov", "user:u-tu"], Who(pulled));
        Assert.Contains("`/verify #1 repo=URL`", pulled.Single(t => t.Recipient == "user:u-tu").Text);

        var verified = await _w.ToldByAsync(n, () => _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/1", TechUnit));
        Assert.Equal([Ops, Sec, "user:u-alice", "user:u-prov"], Who(verified));
        Assert.Contains("ready for staged rollout", verified.Single(t => t.Recipient == "user:u-alice").Text);
        var room = verified.Single(t => t.Recipient == Ops).Text;
        Assert.Contains("#1 (restricted) is verified", room);
        Assert.DoesNotContain("cream", room);

        var accepted = await _w.ToldByAsync(n, () => _w.SayAsync($"/accept #{n}", Alice));
        Assert.Equal([Sec, "user:u-prov"], Who(accepted));

        var reported = await _w.ToldByAsync(n, () => _w.SayAsync($"/report #{n} outcome=success notes=\"patched two CEs\"", Alice));
        Assert.Equal([Ops, "user:u-prov"], Who(reported));
        Assert.Contains("#1 (restricted) is ready to close", reported.Single(t => t.Recipient == Ops).Text);
        Assert.DoesNotContain("cream", reported.Single(t => t.Recipient == Ops).Text);

        var closed = await _w.ToldByAsync(n, () => _w.SayAsync($"/close #{n} outcome=success summary=\"fixes the advisory\"", Coordinator));
        Assert.Equal([Sec, "user:u-alice", "user:u-prov", "user:u-repo"], Who(closed));
        Assert.Contains("`/production #1 repo=URL`", closed.Single(t => t.Recipient == "user:u-repo").Text);

        var moved = await _w.ToldByAsync(n, () => _w.SayAsync($"/production #{n} repo=https://repo.example.org/prod/glite", Repository));
        Assert.Equal([Sec, "user:u-prov"], Who(moved)); // no broadcast while it is embargoed
        Assert.Contains("`/disclose #1`", moved.Single(t => t.Recipient == Sec).Text);

        var disclosed = await _w.ToldByAsync(n, () => _w.SayAsync($"/disclose #{n}", Coordinator));
        Assert.Equal([Broadcast, Sec, "user:u-prov"], Who(disclosed));
        var broadcast = disclosed.Single(t => t.Recipient == Broadcast).Text;
        Assert.StartsWith("Security update: cream 1.2.3 (glite, minor) goes to production after staged rollout at Alpha.", broadcast);
        Assert.Contains($"Security advisory: {Advisory}", broadcast);
        Assert.Contains("Packages: https://repo.example.org/prod/glite", broadcast);
        Assert.DoesNotContain("repo.example.org/sr/", broadcast);

        // Nobody outside: not the uncommitted site's admin, not a bystander, and no early-adopters room.
        var all = await _w.NoticesAsync(n);
        Assert.DoesNotContain(all, t => t.Recipient is "user:u-bob" or "user:u-eve" or "user:u-sec" || t.Recipient.StartsWith("channel:early-adopters"));
        Assert.All(all.Where(t => t.Recipient == Ops), t => Assert.DoesNotContain("cream", t.Text));
    }

    [Fact]
    public async Task Disclosure_MakesTheReleasePublicOnEverySurface()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync($"security={Advisory}");
        await _w.SayAsync($"/accept #{n}", Alice);
        await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", Alice);
        await _w.SayAsync($"/close #{n} outcome=success summary=\"fixes the advisory\"", Coordinator);
        await _w.SayAsync($"/production #{n} repo=https://repo.example.org/prod/glite", Repository);
        var client = _w.App.CreateClient();

        Assert.Contains($"There is no ticket #{n}", await _w.SayAsync($"/ticket #{n}", Eve));
        Assert.DoesNotContain("cream", await client.GetStringAsync("/feed.atom"));
        Assert.DoesNotContain("cream", await client.GetStringAsync("/status"));
        Assert.DoesNotContain("cream", await client.GetStringAsync("/api/metrics"));

        Assert.Contains("is disclosed", await _w.SayAsync($"/disclose #{n}", Coordinator));

        var shown = await _w.SayAsync($"/ticket #{n}", Eve);
        Assert.Contains($"**#{n} cream 1.2.3** — closed (success) — security release, disclosed", shown);
        Assert.Contains("- Production repository: https://repo.example.org/prod/glite", shown);
        Assert.Contains($"#{n} cream 1.2.3", await _w.SayAsync("/tickets", Eve));
        var feed = XDocument.Parse(await client.GetStringAsync("/feed.atom"));
        Assert.Contains(feed.Descendants(XName.Get("title", "http://www.w3.org/2005/Atom")), t => t.Value.Contains("cream 1.2.3"));
        Assert.Contains("cream", await client.GetStringAsync("/status"));
        var metrics = await client.GetStringAsync("/api/metrics");
        Assert.Contains("\"component\":\"cream\"", metrics);
        Assert.DoesNotContain("(restricted)", metrics);
    }

    [Fact]
    public async Task SecurityRoom_HearsNothingOfAPublicRelease()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", Alice);
        await _w.SayAsync($"/close #{n} outcome=success summary=\"fine\"", Coordinator);

        Assert.DoesNotContain(await _w.NoticesAsync(n), t => t.Recipient == Sec);
    }
}

public sealed class SecurityRouteTestsOnSqlite() : SecurityRouteTests(null);

[Collection(PostgresCollection.Name)]
public sealed class SecurityRouteTestsOnPostgres(PostgresServer postgres) : SecurityRouteTests(postgres);
