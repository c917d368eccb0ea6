using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tests.Tickets;

public sealed class RolloutCommandTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Accept_WhenFirstSite_MovesTicketToRollingOut()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync();

        var reply = await _w.SayAsync($"/accept #{n}", TicketWorld.Alice);

        Assert.Contains($"Alpha accepted #{n} (cream 1.2.3); the ticket is rolling-out. Packages: https://repo.example.org/sr/{n}", reply);
        Assert.DoesNotContain("not committed", reply);
        Assert.Equal("RollingOut", await _w.StateAsync(n));
    }

    [Fact]
    public async Task Accept_BySiteNotCommittedToTheComponent_IsAllowedWithANote()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        var reply = await _w.SayAsync($"/accept #{n}", TicketWorld.Bob);

        Assert.Contains("Beta accepted", reply);
        Assert.Contains("Beta is not committed to cream", reply);
        Assert.Equal(2, await _w.DbAsync(db => db.Participations.CountAsync()));
    }

    [Fact]
    public async Task Accept_Twice_ForTheSameSite_IsRefused()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        var reply = await _w.SayAsync($"/accept #{n}", TicketWorld.Alice);

        Assert.Contains("Alpha already took part", reply);
        Assert.Equal(1, await _w.DbAsync(db => db.Participations.CountAsync()));
    }

    [Fact]
    public async Task Accept_ByAdminOfSeveralSites_NeedsSiteAndTakesTheNamedOne()
    {
        await _w.CastAsync();
        await _w.SiteAsync("Gamma", TicketWorld.Alice, "cream");
        var n = await _w.VerifiedAsync();

        Assert.Contains("You administer several sites (Alpha, Gamma): pick the one this is for below, or type the command again with site=",
            await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Contains("'Delta' is not one of Alpha, Gamma", await _w.SayAsync($"/accept #{n} site=Delta", TicketWorld.Alice));
        var accepted = await _w.SayAsync($"/accept #{n} site=gamma", TicketWorld.Alice);
        Assert.Contains("Gamma accepted", accepted);
        Assert.Contains($"`/report #{n} outcome=success|warning|reject notes=\"…\" site=Gamma`", accepted);
    }

    [Fact]
    public async Task Accept_BeforeVerification_IsRefused()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/accept #{n}", TicketWorld.Alice);

        Assert.Contains("`/accept` is not possible: the ticket is certified", reply);
        Assert.Equal(0, await _w.DbAsync(db => db.Participations.CountAsync()));
    }

    [Fact]
    public async Task Report_RecordsOutcomeHoursBugsAndNotes()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        var reply = await _w.SayAsync($"/report #{n} outcome=warning hours=2.5 bugs=https://bugs.example.org/7 notes=\"works; yaim needs a tweak\"", TicketWorld.Alice);

        Assert.Contains("Alpha's report on", reply);
        Assert.Contains("a coordinator can now `/close` it", reply);
        var part = await _w.DbAsync(db => db.Participations.SingleAsync());
        Assert.Equal((2.5, "works; yaim needs a tweak", "https://bugs.example.org/7"), (part.Hours!.Value, part.Report!, part.BugUrls!));
        Assert.NotNull(part.DoneAt);
    }

    [Theory]
    [InlineData("outcome=great notes=x", "unknown outcome 'great'")]
    [InlineData("outcome=success hours=lots notes=x", "hours= must be a number of hours")]
    [InlineData("outcome=success", "notes= is missing")]
    [InlineData("notes=x", "outcome= is missing")]
    public async Task Report_WithBadInput_SaysWhatIsWrongAndChangesNothing(string args, string problem)
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        var reply = await _w.SayAsync($"/report #{n} {args}", TicketWorld.Alice);

        Assert.Contains(problem, reply);
        Assert.Contains("Usage: `/report #N", reply);
        Assert.Null(await _w.DbAsync(db => db.Participations.Select(p => p.DoneAt).SingleAsync()));
    }

    [Fact]
    public async Task Report_FromASiteThatDidNotAccept_IsRefused()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        var reply = await _w.SayAsync($"/report #{n} outcome=success notes=x", TicketWorld.Bob);

        Assert.Contains($"None of your sites has an open part in #{n}", reply);
    }

    [Fact]
    public async Task Close_WhileASiteHasNotReported_IsRefused_UntilItIsWithdrawn()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        await _w.SayAsync($"/accept #{n}", TicketWorld.Bob);
        await _w.SayAsync($"/report #{n} outcome=success notes=fine", TicketWorld.Alice);

        var refused = await _w.SayAsync($"/close #{n} outcome=success summary=\"all good\"", TicketWorld.Coordinator);
        var withdrawn = await _w.SayAsync($"/withdraw #{n} site=beta reason=\"silent for a week\"", TicketWorld.Coordinator);
        var closed = await _w.SayAsync($"/close #{n} outcome=success summary=\"all good\"", TicketWorld.Coordinator);

        Assert.Contains("1 accepted site(s) have not reported yet", refused);
        Assert.Contains("Beta is withdrawn from", withdrawn);
        Assert.Contains("is closed: success.", closed);
        Assert.Contains("cream 1.2.3 is released to production", closed);
        var ticket = await _w.DbAsync(db => db.Tickets.SingleAsync(t => t.Id == n));
        Assert.Equal(("Closed", "all good"), (ticket.State.ToString(), ticket.Summary!));
    }

    [Theory]
    [InlineData("/close #{0} summary=x", "outcome= is missing")]
    [InlineData("/close #{0} outcome=meh summary=x", "Unknown outcome 'meh'")]
    [InlineData("/close #{0} outcome=success", "summary= is missing")]
    [InlineData("/withdraw #{0} site=Alpha", "Both site= and reason= are needed")]
    [InlineData("/withdraw #{0} site=Nowhere reason=x", "Nowhere has not accepted")]
    [InlineData("/emergency #{0} reason=x", "Say `skip` after the ticket number")]
    [InlineData("/emergency #{0} skip", "needs a documented justification")]
    public async Task CoordinatorCommands_WithBadInput_SayWhatIsWrongAndChangeNothing(string command, string problem)
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();
        var before = await _w.DbAsync(db => db.TicketHistory.CountAsync());

        var reply = await _w.SayAsync(string.Format(command, n), TicketWorld.Coordinator);

        Assert.Contains(problem, reply);
        Assert.Equal(before, await _w.DbAsync(db => db.TicketHistory.CountAsync()));
        Assert.Equal("RollingOut", await _w.StateAsync(n));
    }

    [Fact]
    public async Task EmergencySkip_OnVerifiedEmergencyRelease_ClosesAsSuccessWithTheJustification()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync(type: "emergency");

        var reply = await _w.SayAsync($"/emergency #{n} skip reason=\"actively exploited CVE\"", TicketWorld.Coordinator);

        Assert.Contains("closed without staged rollout (emergency)", reply);
        var ticket = await _w.DbAsync(db => db.Tickets.SingleAsync(t => t.Id == n));
        Assert.Equal(("Closed", "Success"), (ticket.State.ToString(), ticket.Outcome.ToString()));
        Assert.Contains("actively exploited CVE", ticket.Summary);
    }

    [Fact]
    public async Task EmergencySkip_OnAMinorRelease_IsRefused()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync();

        var reply = await _w.SayAsync($"/emergency #{n} skip reason=\"in a hurry\"", TicketWorld.Coordinator);

        Assert.Contains("only an emergency release may skip the staged rollout, and this one is minor", reply);
        Assert.Equal("Verified", await _w.StateAsync(n));
    }

    [Fact]
    public async Task Close_VerifiedTicketNobodyAccepted_OnlyAsReject()
    {
        await _w.CastAsync();
        var n = await _w.VerifiedAsync();

        Assert.Contains("no site has reported", await _w.SayAsync($"/close #{n} outcome=success summary=x", TicketWorld.Coordinator));
        Assert.Contains("is closed: reject. The release does not go to production.",
            await _w.SayAsync($"/close #{n} outcome=reject summary=\"no early adopter\"", TicketWorld.Coordinator));
    }
}
