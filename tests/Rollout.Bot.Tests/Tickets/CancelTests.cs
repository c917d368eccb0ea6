using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tickets;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary><c>/cancel</c>: a terminal state of its own that stops the timers, tells the people taking part and is no reject.</summary>
public abstract class CancelTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await TicketWorld.StartAsync(postgres, new() { ["Metrics:CacheSeconds"] = "0" });
        await _w.CastAsync();
    }

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Provider_CancelsATicketOpenedByMistake_TimersStop_AndItIsNoReleaseAndNoReject()
    {
        var kept = await _w.OpenAsync();
        var typo = await _w.OpenAsync("new-component=yes", component: "cremoa");
        Assert.True(await PendingRemindersAsync(typo) > 0);

        var reply = await _w.SayAsync($"/cancel #{typo} reason=\"typo in the component\"", TicketWorld.Provider);

        Assert.Contains($"#{typo} cremoa 1.2.3 is cancelled: typo in the component", reply);
        Assert.Equal(nameof(TicketState.Cancelled), await _w.StateAsync(typo));
        Assert.Equal(0, await PendingRemindersAsync(typo));
        var moved = await _w.DbAsync(db => db.TicketHistory.AsNoTracking().Where(h => h.TicketId == typo && h.Kind == StateMoved.Kind).ToListAsync());
        Assert.Equal(new StateMoved(TicketState.Certified, TicketState.Cancelled, "typo in the component"), moved.Single().Change);
        Assert.Contains("— cancelled", await _w.SayAsync($"/ticket #{typo}", TicketWorld.Bob));

        using var metrics = await MetricsAsync();
        Assert.Equal(1, metrics.RootElement.GetProperty("releases").GetInt32());
        var components = metrics.RootElement.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["cream"], components.Select(c => c.GetProperty("component").GetString()));
        Assert.All(components, c => Assert.Equal(0, c.GetProperty("rejections").GetInt32()));
        Assert.Equal(kept, await _w.DbAsync(db => db.Tickets.Where(t => t.State == TicketState.Certified).Select(t => t.Id).SingleAsync()));
    }

    [Fact]
    public async Task CancelledRelease_DoesNotTriggerTheFrequencyWarning()
    {
        var first = await _w.OpenAsync();
        Assert.Contains("is cancelled", await _w.SayAsync($"/cancel #{first} reason=\"wrong version\"", TicketWorld.Provider));

        var again = await _w.SayAsync($"/release new component=cream version=1.2.4 stack=glite type=minor {TicketWorld.Links}", TicketWorld.Provider);

        Assert.Contains("Opened ticket", again);
        Assert.DoesNotContain("§2.2", again);
    }

    [Fact]
    public async Task RollingOutTicket_OnlyACoordinatorCancels_TheSitesAreTold_AndTheCardLosesItsButtons()
    {
        var n = await _w.RollingOutAsync();
        Assert.Contains("only coordinators can cancel it now", await _w.SayAsync($"/cancel #{n} reason=\"withdrawn\"", TicketWorld.Provider));
        Assert.Contains("Only the ticket's provider and coordinators can cancel", await _w.SayAsync($"/cancel #{n} reason=\"x\"", TicketWorld.Bob));
        Assert.Contains("Say why", await _w.SayAsync($"/cancel #{n}", TicketWorld.Coordinator));

        var told = await _w.ToldByAsync(n, async () =>
            Assert.Contains("is cancelled", await _w.SayAsync($"/cancel #{n} reason=\"provider withdrew it\"", TicketWorld.Coordinator)));

        Assert.Contains(told, t => t.Recipient == $"user:{TicketWorld.Alice}" && t.Text.Contains("is now cancelled") && t.Text.Contains("provider withdrew it"));
        Assert.Contains(told, t => t.Recipient == $"user:{TicketWorld.Provider}");
        Assert.Equal(0, await PendingRemindersAsync(n));
        var card = await _w.DbAsync(db => db.Notices.AsNoTracking().Where(x => x.CardKey == $"ticket:{n}").Select(x => x.PayloadJson).FirstAsync());
        Assert.Contains("Cancelled: do not install", card);
        Assert.DoesNotContain(ReleaseNoticeCard.AcceptVerb, card);

        var again = await _w.SayAsync($"/cancel #{n} reason=\"twice\"", TicketWorld.Coordinator);
        Assert.Contains("the ticket is cancelled; nothing more can happen to it", again);
        Assert.Contains("is cancelled: nothing about it changes", await _w.SayAsync($"/ticket edit #{n} version=2", TicketWorld.Coordinator));
    }

    private Task<int> PendingRemindersAsync(long n) =>
        _w.DbAsync(db => db.Reminders.CountAsync(r => r.Subject == $"ticket:{n}" && r.State == ReminderState.Pending));

    private async Task<JsonDocument> MetricsAsync()
    {
        var today = DateTime.UtcNow.Date;
        string Day(DateTime d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var body = await _w.App.CreateClient().GetStringAsync($"/api/metrics?from={Day(today.AddDays(-1))}&to={Day(today.AddDays(1))}");
        return JsonDocument.Parse(body);
    }
}

public sealed class CancelTestsOnSqlite() : CancelTests(null);

[Collection(PostgresCollection.Name)]
public sealed class CancelTestsOnPostgres(PostgresServer postgres) : CancelTests(postgres);
