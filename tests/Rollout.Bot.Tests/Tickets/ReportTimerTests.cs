using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Scheduling;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Seed 002 §2.4 steps 3.6–3.8 and Table 3 in time: reports due per site, and steps past their targets.</summary>
public sealed class ReportTimerTests : IDisposable
{
    private static readonly NodaTime.DateTimeZone Tokyo = NodaTime.DateTimeZoneProviders.Tzdb["Asia/Tokyo"];
    private readonly TimerWorld _t = new();
    private TicketWorld W => _t.World;

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task AcceptedSites_GetReportDueOnTheirOwnCalendar_ReminderThenOverdue_AndAReportCancelsThem()
    {
        await W.CastAsync();
        var gamma = await W.SiteAsync("Gamma", TicketWorld.Eve, "cream");
        await W.DbAsync(db => db.Sites.Where(s => s.Id == gamma).ExecuteUpdateAsync(s => s.SetProperty(x => x.TimeZone, "Asia/Tokyo")));
        var n = await W.VerifiedAsync(); // minor: staged rollout 3 working days + grace 5 working days
        Assert.Contains("accepted", await _t.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Contains("accepted", await _t.SayAsync($"/accept #{n}", TicketWorld.Eve)); // 18:00 in Tokyo: counts from Tuesday 09:00

        var overdue = await _t.PendingAsync(n, TicketTimerRules.ReportOverdue);
        Assert.Equal(
            [Zurich.At("2026-12-03 10:00"), Zurich.At("2026-12-04 09:00", Tokyo)],
            overdue.Select(r => r.DueAt).Order());
        var reminders = await _t.PendingAsync(n, TicketTimerRules.ReportReminder);
        Assert.Equal([Zurich.At("2026-12-02 10:00"), Zurich.At("2026-12-03 09:00", Tokyo)], reminders.Select(r => r.DueAt).Order());

        await _t.RunAtAsync("2026-12-02 10:00");
        Assert.Equal(["user:u-alice"], await _t.RecipientsAsync($"ticket:{n}:report-reminder:1"));
        _t.At("2026-12-02 11:00");
        Assert.Contains("recorded", await _t.SayAsync($"/report #{n} outcome=success notes=\"fine\"", TicketWorld.Alice));

        await _t.RunAtAsync("2026-12-10 10:00");
        Assert.Equal(["user:u-eve"], await _t.RecipientsAsync($"ticket:{n}:report-reminder:{gamma}"));
        Assert.Equal(["channel:operations", "user:u-eve"], await _t.RecipientsAsync($"ticket:{n}:report-overdue:{gamma}"));
        Assert.Empty(await _t.RecipientsAsync($"ticket:{n}:report-overdue:1"));
    }

    [Fact]
    public async Task StepPastItsTable3Target_IsFlaggedOnceToOperations_AndRecorded()
    {
        await W.CastAsync();
        var n = await W.OpenAsync(); // certified on Monday 10:00: the repository step's target is half a working day

        await _t.RunAtAsync("2026-11-23 13:59");
        Assert.Empty(await _t.KeysAsync($"ticket:{n}:target-missed"));
        await _t.RunAtAsync("2026-11-23 14:00");
        await _t.RunAtAsync("2026-11-30 14:00");

        Assert.Equal(["channel:operations"], await _t.RecipientsAsync($"ticket:{n}:target-missed:repository"));
        var missed = await W.DbAsync(db => db.TicketHistory.Where(h => h.TicketId == n && h.What == "target-missed").Select(h => h.To).ToListAsync());
        Assert.Equal(["repository"], missed);
    }

    [Fact]
    public async Task StepsDoneBeforeTheirTargets_AreNotFlagged_ButAVerifiedReleaseNobodyTakesMissesStep3AndTheTotal()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync(); // repository and verification both done at once; step 3 runs from now

        await _t.RunAtAsync("2026-12-31 10:00");
        Assert.Equal([$"ticket:{n}:target-missed:staged-rollout", $"ticket:{n}:target-missed:total"], await _t.KeysAsync($"ticket:{n}:target-missed"));
    }

    [Fact]
    public async Task PendingTimers_AfterRestartOnTheSameDataFolder_FireOnce()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync();
        using var after = new TimerWorld(dataFolder: W.App.DataFolder, clock: _t.Clock); // the bot comes back on the same database

        _t.At("2026-11-24 10:00");
        Assert.Equal(2, await after.Runner.RunDueAsync(_t.Clock.GetUtcNow())); // the nag, and the passed (met) repository target check
        Assert.Equal(0, await _t.Runner.RunDueAsync(_t.Clock.GetUtcNow()));
        Assert.Equal(["channel:early-adopters/glite", "user:u-alice"], await _t.RecipientsAsync($"ticket:{n}:acceptance-nag:1"));
    }
}
