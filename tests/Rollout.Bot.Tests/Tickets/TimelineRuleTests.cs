using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Metrics;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Scheduling;
using Rollout.Bot.Tickets;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// Table 3 as one rule: the reminders, /deadlines, the metrics and /status name the same instants, step 3 counts from
/// verification everywhere, emergencies run on their own hours, and the totals (1 / 9 / 11 / 22 days) are tracked.
/// </summary>
public abstract class TimelineRuleTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TimerWorld _t = null!; // Monday 2026-11-23 10:00, Zurich
    private TicketWorld W => _t.World;

    public async Task InitializeAsync() => _t = new TimerWorld(postgres is null ? null
        : new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync() });

    public Task DisposeAsync()
    {
        _t.Dispose();
        return Task.CompletedTask;
    }

    private Task<DateTimeOffset> TargetAsync(long n, string step) => W.DbAsync(db => db.Reminders.AsNoTracking()
        .Where(r => r.Subject == $"ticket:{n}" && r.Rule == TicketTimerRules.Target && r.Payload == step).Select(r => r.DueAt).SingleAsync());

    [Fact]
    public async Task Emergency_IsAcceptedWithinAnHour_NotAWorkingDay_AndNaggedHourly()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync(type: "emergency");

        Assert.Equal("2026-11-23 11:00", Zurich.Local((await _t.PendingAsync(n, TicketTimerRules.Acceptance)).Single().DueAt));
        await _t.RunAtAsync("2026-11-23 10:59");
        Assert.Empty(await _t.KeysAsync($"ticket:{n}:acceptance"));
        await _t.RunAtAsync("2026-11-23 11:00");
        Assert.Contains("within 1 hour of verification", await _t.TextAsync($"ticket:{n}:acceptance-escalation", "channel:operations"));
        await _t.RunAtAsync("2026-11-23 12:00");
        Assert.Contains($"ticket:{n}:acceptance-nag:2", await _t.KeysAsync($"ticket:{n}:acceptance-nag"));
        // The whole step is 2.5 hours from verification, the whole release 8 hours from opening.
        Assert.Equal("2026-11-23 12:30", Zurich.Local(await TargetAsync(n, "staged-rollout")));
        Assert.Equal("2026-11-23 18:00", Zurich.Local(await TargetAsync(n, "total")));
    }

    [Fact]
    public async Task Step3_StartsAtVerification_InTheTimersDeadlinesMetricsAndStatusAlike()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync(); // minor, verified Monday 10:00: 3 working days + 5 of grace
        _t.At("2026-11-25 15:00");
        Assert.Contains("accepted", await _t.SayAsync($"/accept #{n}", Alice)); // a late first acceptance moves nothing

        var due = await TargetAsync(n, "staged-rollout");
        Assert.Equal("2026-12-03 10:00", Zurich.Local(due));
        var verifiedAt = await W.DbAsync(db => db.TicketStepTimes.Where(s => s.TicketId == n).Select(s => s.VerifiedAt!.Value).SingleAsync());
        var calendar = await W.DbAsync(db => W.App.Services.GetRequiredService<WorkingCalendars>().ForChannelAsync(db));
        Assert.Equal(due, StepTarget.Deadline(ReleaseType.Minor, 3, verifiedAt, calendar));
        Assert.Contains($"#{n} cream 1.2.3 (minor): Table 3 target for the staged-rollout step — due {TicketCommand.When(due)}",
            await _t.SayAsync("/deadlines", Eve));

        await _t.RunAtAsync("2026-12-03 10:01");
        Assert.Equal(["channel:operations"], await _t.RecipientsAsync($"ticket:{n}:target-missed:staged-rollout"));
        var status = await W.App.CreateClient().GetStringAsync("/status");
        Assert.Contains($"step 3 (verified → closed) overdue since {TicketCommand.When(due)}", System.Net.WebUtility.HtmlDecode(status));
    }

    [Fact]
    public async Task Total_IsTrackedFromOpening_FlaggedWhenMissed_AndMeasured()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync(); // minor: 11 working days from Monday 10:00

        Assert.Equal("2026-12-08 10:00", Zurich.Local(await TargetAsync(n, "total")));
        _t.At("2026-11-24 10:00");
        await _t.SayAsync($"/accept #{n}", Alice);
        await _t.RunAtAsync("2026-12-08 10:01");
        var room = await _t.TextAsync($"ticket:{n}:target-missed:total", "channel:operations");
        Assert.Contains("missed its Table 3 target for the whole staged rollout (Table 3 total)", room);
        var status = System.Net.WebUtility.HtmlDecode(await W.App.CreateClient().GetStringAsync("/status"));
        Assert.Contains("Table 3 total (11 working days) overdue since 2026-12-08 09:00 UTC", status);

        _t.At("2026-12-09 10:00");
        await _t.SayAsync($"/report #{n} outcome=success notes=\"fine\"", Alice);
        await _t.SayAsync($"/close #{n} outcome=success summary=\"late but fine\"", Coordinator);
        Assert.Empty(await _t.PendingAsync(n, TicketTimerRules.Target));
        Assert.Contains("minor step 4 (opened → closed (total)): 0/1 = 0%", await _t.SayAsync("/metrics", Eve));
    }
}

public sealed class TimelineRuleTestsOnSqlite() : TimelineRuleTests(null);

[Collection(PostgresCollection.Name)]
public sealed class TimelineRuleTestsOnPostgres(PostgresServer postgres) : TimelineRuleTests(postgres);
