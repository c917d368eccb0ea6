using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tests.Tickets;

public sealed class VerificationCommandTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Unverified_ByRepositoryManager_MovesCertifiedToUnverified()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository);

        Assert.Contains($"#{n} is now unverified", reply);
        Assert.Equal("Unverified", await _w.StateAsync(n));
    }

    [Fact]
    public async Task UnverifiedFailed_RecordsTheFailureAndStaysCertified()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/unverified #{n} failed reason=\"checksum mismatch on cream-1.2.3.rpm\"", TicketWorld.Repository);

        Assert.Contains("the failed pull is recorded; the ticket stays certified", reply);
        Assert.Equal("Certified", await _w.StateAsync(n));
        var history = await _w.DbAsync(db => db.TicketHistory.Where(h => h.TicketId == n).OrderBy(h => h.Id).ToListAsync());
        Assert.Contains(history, h => h.What == "package pull failed" && h.Reason == "checksum mismatch on cream-1.2.3.rpm");
    }

    [Fact]
    public async Task UnverifiedFailed_WithoutReason_IsRefused()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/unverified #{n} failed", TicketWorld.Repository);

        Assert.Contains("Say why the pull failed with reason=", reply);
        Assert.Equal(1, await _w.DbAsync(db => db.TicketHistory.CountAsync()));
    }

    [Fact]
    public async Task Verify_SetsTheRepositoryUrlAndRecordsIt()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository);

        var reply = await _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr", TicketWorld.TechUnit);

        Assert.Contains($"#{n} is verified; staged-rollout repository https://repo.example.org/sr", reply);
        var ticket = await _w.DbAsync(db => db.Tickets.SingleAsync(t => t.Id == n));
        Assert.Equal("https://repo.example.org/sr", ticket.RepositoryUrl);
        Assert.Equal(3, ticket.RowVersion);
    }

    [Theory]
    [InlineData("/verify #{0}", "repository URL is missing")]
    [InlineData("/verify #{0} repo=not-a-url", "repo= must be an absolute http(s) URL")]
    [InlineData("/verify {0}x repo=https://r.org", "is not a ticket number")]
    [InlineData("/verify repo=https://r.org", "No ticket number given")]
    public async Task Verify_WithBadInput_SaysWhatIsWrongAndChangesNothing(string command, string problem)
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository);

        var reply = await _w.SayAsync(string.Format(command, n), TicketWorld.TechUnit);

        Assert.Contains(problem, reply);
        Assert.Contains("Usage: `/verify #N repo=URL`", reply);
        Assert.Equal("Unverified", await _w.StateAsync(n));
    }

    [Fact]
    public async Task Verify_WhileStillCertified_IsRefusedNamingStateAndAllowedMoves()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/verify #{n} repo=https://r.org", TicketWorld.TechUnit);

        Assert.Equal($"#{n}: `/verify` is not possible: the ticket is certified; from there: `/unverified`, `/unverified failed`, `/cancel`.", reply);
        var ticket = await _w.DbAsync(db => db.Tickets.SingleAsync(t => t.Id == n));
        Assert.Null(ticket.RepositoryUrl);
    }

    [Fact]
    public async Task Reject_ByTechnologyUnit_EndsTheTicketWithTheReason()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();
        await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository);

        var reply = await _w.SayAsync($"/reject #{n} reason=\"breaks the WMS\"", TicketWorld.TechUnit);

        Assert.Contains($"#{n} is rejected. Reason: breaks the WMS", reply);
        Assert.Equal("Rejected", await _w.StateAsync(n));
        Assert.Contains("nothing more can happen", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
    }

    [Fact]
    public async Task UnknownTicket_IsNamed()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync("/verify #99 repo=https://r.org", TicketWorld.TechUnit);

        Assert.Equal("There is no ticket #99. `/tickets` lists the tickets you can see.", reply);
    }
}
