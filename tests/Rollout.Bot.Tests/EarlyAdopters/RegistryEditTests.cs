using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.EarlyAdopters;

/// <summary>The registry corrected and pruned, every change kept with who and when and read back by <c>/site show</c>.</summary>
public abstract class RegistryEditTests(PostgresServer? postgres) : IAsyncLifetime
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

    private Task<string> Coord(string text) => _w.SayAsync(text, TicketWorld.Coordinator);

    [Fact]
    public async Task SiteRenamedAndChanged_EachChangeKeptWithWhoAndWhen_AndShown()
    {
        Assert.Contains("Site **Gamma** added", await Coord("/site add name=Gamma stack=glite"));

        var reply = await Coord("/site edit name=gamma rename=Gamma-2 stack=arc tz=Europe/Madrid");

        Assert.Contains("renamed Gamma → Gamma-2; stack glite → arc; time zone not set → Europe/Madrid", reply);
        Assert.Contains("I know no site named **Gamma**", await Coord("/site show name=Gamma"));
        var shown = await _w.SayAsync("/site show name=GAMMA-2", TicketWorld.Bob);
        Assert.StartsWith("**Gamma-2** — arc, time zone Europe/Madrid", shown);
        Assert.Contains("Coord: site added", shown);
        Assert.Contains("Coord: renamed Gamma → Gamma-2", shown);
        Assert.Contains("Coord: stack glite → arc", shown);
        Assert.Contains("Coord: time zone — → Europe/Madrid", shown);
        Assert.Contains("`/partner set", await Coord("/site edit name=Gamma-2 level=gold"));
        Assert.Contains("time zone Europe/Madrid → not set", await Coord("/site edit name=Gamma-2 tz=none"));
        Assert.Contains("already has those values", await Coord("/site edit name=Gamma-2 stack=arc"));
        Assert.Contains("A site named **Alpha** already exists", await Coord("/site edit name=Gamma-2 rename=ALPHA"));
        Assert.Contains("`tz=Mars/Olympus` is not a time zone", await Coord("/site edit name=Gamma-2 tz=Mars/Olympus"));
        Assert.Contains("Only coordinators can change a site", await _w.SayAsync("/site edit name=Gamma-2 stack=glite", TicketWorld.Bob));
    }

    [Fact]
    public async Task AdminGrantedByRole_GetsNameAndEmailFromSiteAdmin_AndEmailsStayPrivate()
    {
        var granted = await Coord("/role grant user=u-gil role=site-admin site=Beta");
        Assert.Contains("`/site admin` with the same user sets their name and e-mail", granted);

        var set = await Coord("/site admin name=Beta user=u-gil email=gil@example.org display=\"Gil Gómez\"");
        Assert.Contains("name u-gil → Gil Gómez; e-mail not set → gil@example.org", set);
        Assert.Contains("e-mail gil@example.org → gil@beta.example.org", await Coord("/site admin name=Beta user=u-gil email=gil@beta.example.org"));
        Assert.Contains("already an admin of **Beta** with those details", await Coord("/site admin name=Beta user=u-gil"));

        Assert.Contains("gil@beta.example.org", await Coord("/site show name=Beta"));
        var public_ = await _w.SayAsync("/site show name=Beta", TicketWorld.Bob);
        Assert.DoesNotContain("example.org", public_);
        Assert.Contains("admin e-mail (hidden: personal data)", public_);
    }

    [Fact]
    public async Task AdminRemoved_IsNoLongerAnAdmin_AndTheHistorySaysWhy()
    {
        var reply = await Coord("/site unadmin name=Beta user=u-bob reason=\"left the site\"");

        Assert.Contains("Bob (u-bob) is no longer an admin of **Beta**. The site has no admin left", reply);
        Assert.Contains("Only site admins", await _w.SayAsync("/accept #1", TicketWorld.Bob));
        Assert.Contains("admin removed Bob (u-bob) → — (left the site)", await Coord("/site show name=Beta"));
        Assert.Contains("u-bob is not an admin of **Beta**", await Coord("/site unadmin name=Beta user=u-bob"));
    }

    [Fact]
    public async Task SiteTakingPart_IsNotRemovedUntilItReportedOrWasWithdrawn_ThenItsCommitmentsAndAdminsEnd()
    {
        var n = await _w.RollingOutAsync();

        var refused = await Coord("/site remove name=Alpha reason=\"closed down\"");
        Assert.Contains($"**Alpha** takes part in #{n} and has not reported", refused);
        Assert.Contains($"`/withdraw #{n} site=Alpha", refused);

        Assert.Contains("recorded", await _w.SayAsync($"/report #{n} outcome=success notes=\"fine\"", TicketWorld.Alice));
        var removed = await Coord("/site remove name=Alpha reason=\"closed down\"");

        Assert.Contains("**Alpha** is removed (closed down). Commitments ended: cream; admins removed: Alice.", removed);
        Assert.DoesNotContain("**Alpha**", await _w.SayAsync("/sites", TicketWorld.Bob));
        Assert.Equal(0, await _w.DbAsync(db => db.Commitments.CountAsync(c => c.EndedAt == null && c.Component == "cream")));
        var shown = await Coord("/site show name=Alpha");
        Assert.Contains("— **removed**", shown);
        Assert.Contains("site removed Alpha → — (closed down)", shown);
        Assert.Contains("Alpha: done", await Coord($"/ticket #{n}"));
        Assert.Contains("Site **Alpha** added", await Coord("/site add name=Alpha stack=glite"));
    }

    [Fact]
    public async Task NonAsciiSiteName_IsFoundAgainInAnyCase()
    {
        Assert.Contains("Site **ÅSITE** added", await Coord("/site add name=ÅSITE stack=glite"));

        Assert.Contains("is now an admin of **ÅSITE**", await Coord("/site admin name=ÅSITE user=u-ola"));
        Assert.Contains("is now an admin of **ÅSITE**", await Coord("/site admin name=åsite user=u-per"));
        Assert.Contains("A site named **ÅSITE** already exists", await Coord("/site add name=åsite stack=glite"));
        Assert.Contains("is committed to cream", await Coord("/commit site=Åsite component=cream"));
    }

    [Theory]
    [InlineData("u-\u200Bbob", "U+200B")]
    [InlineData("u-\u202Ebob", "U+202E")]
    [InlineData("u-\u2066bob", "U+2066")]
    public async Task UserIdWithInvisibleOrDirectionCharacters_IsRefused(string userId, string code)
    {
        var reply = await Coord($"/site admin name=Beta user={userId}");

        Assert.Contains("invisible or text-direction character", reply);
        Assert.Contains(code, reply);
        Assert.Equal(1, await _w.DbAsync(db => db.SiteAdmins.CountAsync(a => a.SiteId == 2)));
    }
}

public sealed class RegistryEditTestsOnSqlite() : RegistryEditTests(null);

[Collection(PostgresCollection.Name)]
public sealed class RegistryEditTestsOnPostgres(PostgresServer postgres) : RegistryEditTests(postgres);
