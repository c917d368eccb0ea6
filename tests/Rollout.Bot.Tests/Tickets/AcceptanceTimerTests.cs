using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Seed 002 §2.4 step 3.2 in time: a verified release must be accepted within one working day.</summary>
public sealed class AcceptanceTimerTests : IDisposable
{
    private readonly TimerWorld _t = new();
    private TicketWorld W => _t.World;

    public void Dispose() => _t.Dispose();

    private async Task<long> VerifiedWithGammaAsync()
    {
        await W.CastAsync();
        await W.SiteAsync("Gamma", TicketWorld.Eve, "cream");
        return await W.VerifiedAsync();
    }

    [Fact]
    public async Task VerifiedTicketNobodyAccepts_NagsChannelAndCommittedAdminsDaily_EscalatesOnce()
    {
        var n = await VerifiedWithGammaAsync(); // Monday 10:00

        await _t.RunAtAsync("2026-11-24 09:59");
        Assert.Empty(await _t.KeysAsync($"ticket:{n}:acceptance"));

        await _t.RunAtAsync("2026-11-24 10:00");
        Assert.Equal(["channel:early-adopters/glite", "user:u-alice", "user:u-eve"], await _t.RecipientsAsync($"ticket:{n}:acceptance-nag:1"));
        Assert.Equal(["channel:operations"], await _t.RecipientsAsync($"ticket:{n}:acceptance-escalation"));
        var escalation = await _t.TextAsync($"ticket:{n}:acceptance-escalation", "channel:operations");
        Assert.Contains("Alpha: last activity", escalation);
        Assert.Contains("Gamma: last activity none recorded", escalation);
        Assert.DoesNotContain("Beta", escalation);
        Assert.Contains("new early-adopter partners", escalation);

        await _t.RunAtAsync("2026-11-25 10:00");
        await _t.RunAtAsync("2026-11-26 10:00");
        await _t.RunAtAsync("2026-12-07 10:00");
        Assert.Equal(
            [$"ticket:{n}:acceptance-escalation", $"ticket:{n}:acceptance-nag:1", $"ticket:{n}:acceptance-nag:2", $"ticket:{n}:acceptance-nag:3"],
            await _t.KeysAsync($"ticket:{n}:acceptance"));
        Assert.Empty(await _t.PendingAsync(n, TicketTimerRules.Acceptance));
    }

    [Fact]
    public async Task Nag_SkipsSitesCommittedOnlyForAnotherPlatform()
    {
        await W.CastAsync(); // Alpha: committed to cream on any platform
        var gamma = await W.SiteAsync("Gamma", TicketWorld.Eve);
        var delta = await W.SiteAsync("Delta", TicketWorld.Bob);
        await W.DbAsync(async db =>
        {
            db.Commitments.Add(new Rollout.Bot.EarlyAdopters.Commitment { SiteId = gamma, Component = "CREAM", Os = "EL9", Arch = "x86_64", CommittedAt = DateTimeOffset.UtcNow });
            db.Commitments.Add(new Rollout.Bot.EarlyAdopters.Commitment { SiteId = delta, Component = "cream", Os = "sl6", CommittedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var n = await W.VerifiedAsync("os=el9 arch=x86_64");

        await _t.RunAtAsync("2026-11-24 10:00");

        Assert.Equal(["channel:early-adopters/glite", "user:u-alice", "user:u-eve"], await _t.RecipientsAsync($"ticket:{n}:acceptance-nag:1"));
        var escalation = await _t.TextAsync($"ticket:{n}:acceptance-escalation", "channel:operations");
        Assert.Contains("Gamma: last activity", escalation);
        Assert.DoesNotContain("Delta", escalation);
    }

    [Fact]
    public async Task RestrictedTicketNag_TellsCommittedAdminsDirectly_AndNeverDescribesItInChannels()
    {
        var n = await VerifiedWithGammaAsync();
        await W.DbAsync(db => db.Tickets.Where(t => t.Id == n)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.SecurityAdvisoryUrl, "https://svg.example.org/advisory/2011-01")));

        await _t.RunAtAsync("2026-11-24 10:00");
        var channel = await _t.TextAsync($"ticket:{n}:acceptance-nag:1", "channel:early-adopters/glite");
        var operations = await _t.TextAsync($"ticket:{n}:acceptance-escalation", "channel:operations");
        Assert.Contains("A restricted release is waiting", channel);
        Assert.DoesNotContain("cream", channel);
        Assert.DoesNotContain("cream", operations);
        Assert.Contains($"/accept #{n} site=Alpha", await _t.TextAsync($"ticket:{n}:acceptance-nag:1", "user:u-alice"));
    }

    [Fact]
    public async Task NagOverAWeekend_WaitsForMonday()
    {
        _t.At("2026-11-27 15:00"); // Friday afternoon
        await W.CastAsync();
        var n = await W.VerifiedAsync();

        await _t.RunAtAsync("2026-11-29 23:00");
        Assert.Empty(await _t.KeysAsync($"ticket:{n}:acceptance"));
        await _t.RunAtAsync("2026-11-30 15:00");
        Assert.Contains($"ticket:{n}:acceptance-nag:1", await _t.KeysAsync($"ticket:{n}:acceptance"));
    }

    [Fact]
    public async Task SiteAccepting_StopsTheNags()
    {
        var n = await VerifiedWithGammaAsync();
        await _t.RunAtAsync("2026-11-24 10:00");

        _t.At("2026-11-24 11:00");
        Assert.Contains("accepted", await _t.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Empty(await _t.PendingAsync(n, TicketTimerRules.Acceptance));

        await _t.RunAtAsync("2026-12-01 10:00");
        Assert.Equal([$"ticket:{n}:acceptance-escalation", $"ticket:{n}:acceptance-nag:1"], await _t.KeysAsync($"ticket:{n}:acceptance"));
    }

    [Fact]
    public async Task Snooze_HoldsTheNags_AndTheyResumeTheWorkingMorningAfter()
    {
        var n = await VerifiedWithGammaAsync();
        await _t.RunAtAsync("2026-11-24 10:00");

        _t.At("2026-11-24 11:00");
        var reply = await _t.SayAsync($"/snooze #{n} until=2026-11-26 reason=\"Alpha is back on Thursday\"", TicketWorld.Coordinator);
        Assert.Contains("wait until 2026-11-26", reply);

        await _t.RunAtAsync("2026-11-25 10:00");
        await _t.RunAtAsync("2026-11-26 16:59");
        Assert.DoesNotContain($"ticket:{n}:acceptance-nag:2", await _t.KeysAsync($"ticket:{n}:acceptance"));

        await _t.RunAtAsync("2026-11-27 09:00");
        Assert.Contains($"ticket:{n}:acceptance-nag:2", await _t.KeysAsync($"ticket:{n}:acceptance"));
    }

    [Theory]
    [InlineData("u-alice", "/snooze #1 until=2026-11-26 reason=\"x\"", "coordinators")]
    [InlineData("u-coord", "/snooze #1 until=26.11.2026 reason=\"x\"", "until= must be a date such as")]
    [InlineData("u-coord", "/snooze #1 until=2026-11-01 reason=\"x\"", "is in the past")]
    [InlineData("u-coord", "/snooze #1 until=2026-11-26", "reason= is missing")]
    public async Task Snooze_RefusesBadInputWithAClearMessage(string user, string command, string expected)
    {
        await VerifiedWithGammaAsync();
        Assert.Contains(expected, await _t.SayAsync(command, user));
    }
}
