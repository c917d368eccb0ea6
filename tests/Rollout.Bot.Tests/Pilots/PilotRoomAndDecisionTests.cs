using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Pilots;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>The pilot's room, the decisions that end or prolong a pilot, and the configuration that must be valid.</summary>
public abstract class PilotRoomAndDecisionTests(PostgresServer? postgres) : IAsyncLifetime
{
    private PilotWorld _w = null!;

    public async Task InitializeAsync() => _w = await PilotWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Said in the room that becomes the pilot's; a 1:1 conversation, so that refusals are read there rather than in a personal chat.</summary>
    private Task<string> InRoom(string text, string user) => _w.App.SayAsync(text, user, user, "room-pilot");

    [Fact]
    public async Task PilotRoom_IsBoundByItsPilotCoordinatorOrACoordinator_NotBySomeoneElse_AndParkedNoticesFollow()
    {
        var n = await _w.ScreenedAsync();
        Assert.Contains("There is no pilot P9", await InRoom("/channel bind pilot P9", PilotWorld.Coordinator));
        Assert.Contains("Only coordinators can use `/channel`", await InRoom($"/channel bind pilot P{n}", PilotWorld.Alice));

        Assert.Contains($"now receives **pilot P{n}** notices", await InRoom($"/channel bind pilot P{n}", PilotWorld.Pia));
        Assert.Contains($"pilot P{n}: ", await _w.SayAsync("/channels", PilotWorld.Coordinator));
        Assert.Contains("no longer receives", await InRoom($"/channel unbind pilot P{n}", PilotWorld.Coordinator));
    }

    [Fact]
    public async Task Prolonging_TimesTheRunAgainToTheNewEnd_AndADecidedPilotTakesNoMoreDecisions()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, "gold", null, "cream");
        var n = await _w.ScreenedAsync();
        Assert.Contains("it is screened; that can only be done when it is running", await _w.SayAsync($"/pilot wrapup P{n} decision=production", PilotWorld.Pia));
        await _w.SayAsync($"/pilot invite P{n} site=Alpha", PilotWorld.Pia);
        await _w.SayAsync($"/pilot answer P{n} accept", PilotWorld.Alice);
        await _w.SayAsync($"/pilot kickoff P{n} date=2026-11-24 time=10:00", PilotWorld.Pia);
        _w.Timers.At("2026-11-24 11:00");
        await _w.SayAsync($"/pilot start P{n}", PilotWorld.Pia);
        await _w.SayAsync($"/pilot setup P{n}", PilotWorld.Alice);
        await _w.RunAtAsync("2026-12-01 11:00"); // minor: 5 working days from Tuesday 11:00

        Assert.Equal(PilotState.WrapUp, (await _w.PilotAsync(n)).State);
        Assert.True((await _w.PilotAsync(n)).NoFeedback); // no VO took part
        Assert.Contains("give the new end with `until=", await _w.SayAsync($"/pilot wrapup P{n} decision=prolong", PilotWorld.Pia));
        Assert.Contains("**prolong** until 2026-12-10", await _w.SayAsync($"/pilot wrapup P{n} decision=prolong until=2026-12-10", PilotWorld.Pia));

        var pilot = await _w.PilotAsync(n);
        Assert.Equal(PilotState.Prolonged, pilot.State);
        Assert.Equal([Scheduling.Zurich.At("2026-12-10 17:00")], (await _w.PendingAsync(n, PilotTimers.RunEnd)).Select(r => r.DueAt));
        Assert.Contains("Say why it is abandoned", await _w.SayAsync($"/pilot wrapup P{n} decision=abandon", PilotWorld.Pia));
        Assert.Contains("**abandon**", await _w.SayAsync($"/pilot wrapup P{n} decision=abandon notes=\"memory leak under load\"", PilotWorld.Pia));
        Assert.Empty(await _w.World.DbAsync(db => db.Reminders.Where(r => r.Subject == $"pilot:{n}" && r.State == Rollout.Bot.Scheduling.ReminderState.Pending).ToListAsync()));
        Assert.Contains("it is abandoned; that can only be done when it is", await _w.SayAsync($"/pilot wrapup P{n} decision=production", PilotWorld.Pia));
    }
}

public sealed class PilotRoomAndDecisionTestsOnSqlite() : PilotRoomAndDecisionTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PilotRoomAndDecisionTestsOnPostgres(PostgresServer postgres) : PilotRoomAndDecisionTests(postgres);

/// <summary>A bad Pilots section stops the bot at start-up, naming the key.</summary>
public sealed class PilotsOptionsTests
{
    [Fact]
    public void UnknownEffortTask_StopsStartUp_NamingTheKey()
    {
        using var app = new BotApp(new() { ["Pilots:Effort:lunch"] = "3" });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Pilots:Effort takes tasks pre-screen", error.ToString());
    }
}
