using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Tests.Tickets;

public sealed class TicketViewTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Comment_KeepsTheTextAsTypedAndShowsInTheTicket()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/comment #{n} \"tested on sl6: key=value stays\"", TicketWorld.Eve);
        var shown = await _w.SayAsync($"/ticket #{n}", TicketWorld.Eve);

        Assert.Equal($"Comment added to #{n}.", reply);
        Assert.Contains("Eve: tested on sl6: key=value stays", shown);
    }

    [Fact]
    public async Task Comment_Empty_IsRefused()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        Assert.Contains("The comment is empty", await _w.SayAsync($"/comment #{n}", TicketWorld.Eve));
        Assert.Equal(0, await _w.DbAsync(db => db.TicketComments.CountAsync()));
    }

    [Fact]
    public async Task Ticket_ShowsLinksSitesHistoryAndNextMoves()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync("docs=https://doc.example.org bugs=https://bugs.example.org/1");

        var shown = await _w.SayAsync($"/ticket #{n}", TicketWorld.Eve);

        Assert.Contains($"**#{n} cream 1.2.3** — rolling-out", shown);
        Assert.Contains("- Release notes: https://rel.example.org/notes", shown);
        Assert.Contains("- Documentation: https://doc.example.org", shown);
        Assert.Contains("- Bug: https://bugs.example.org/1", shown);
        Assert.Contains($"- Staged-rollout repository: https://repo.example.org/sr/{n}", shown);
        Assert.Contains("- Alpha: accepted, accepted by Alice", shown);
        Assert.Contains("Prov: created — → certified", shown);
        Assert.Contains("Repo: state certified → unverified", shown);
        Assert.Contains("Tu: state unverified → verified", shown);
        Assert.Contains("Alice: state verified → rolling-out", shown);
        Assert.Contains("Next: `/accept`, `/report`, `/withdraw`, `/close`", shown);
    }

    [Fact]
    public async Task Tickets_FiltersByStateStackAndMine()
    {
        await _w.CastAsync();
        var first = await _w.OpenAsync();
        var second = await _w.RollingOutAsync();
        await _w.SayAsync($"/release new component=arex new-component=yes version=7 stack=arc type=minor {TicketWorld.Links}", TicketWorld.Coordinator);

        var rolling = await _w.SayAsync("/tickets state=rolling-out", TicketWorld.Eve);
        var arc = await _w.SayAsync("/tickets stack=ARC", TicketWorld.Eve);
        var aliceMine = await _w.SayAsync("/tickets mine", TicketWorld.Alice);
        var providerMine = await _w.SayAsync("/tickets mine", TicketWorld.Provider);

        Assert.Contains($"#{second} cream", rolling);
        Assert.DoesNotContain($"#{first} ", rolling);
        Assert.Contains("arex 7", arc);
        Assert.DoesNotContain("cream", arc);
        Assert.Contains($"#{second} cream", aliceMine);
        Assert.DoesNotContain($"#{first} ", aliceMine);
        Assert.Contains($"#{first} cream", providerMine);
        Assert.DoesNotContain("arex", providerMine);
    }

    [Theory]
    [InlineData("/tickets state=open", "Unknown state 'open': use one of certified, unverified, verified, rejected, rolling-out, closed")]
    [InlineData("/tickets stack=cloud", "Unknown stack 'cloud'")]
    [InlineData("/tickets all", "I don't understand 'all'")]
    [InlineData("/tickets owner=me", "I don't know 'owner='")]
    [InlineData("/ticket", "No ticket number given")]
    [InlineData("/ticket #abc", "'#abc' is not a ticket number")]
    public async Task ViewCommands_WithBadInput_SayWhatIsWrong(string command, string problem)
    {
        await _w.CastAsync();

        Assert.Contains(problem, await _w.SayAsync(command, TicketWorld.Eve));
    }
}
