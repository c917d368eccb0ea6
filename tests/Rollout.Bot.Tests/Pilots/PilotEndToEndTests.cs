using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Pilots;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>
/// Issue 14's "done means": a pilot of a backward-compatible server update runs from request to wrap-up in chat: two
/// Gold sites found from the partner list, a kick-off in the calendar, feedback reminders at the agreed cadence, one
/// site's post-mortem late and escalated, "no feedback from users" stated because no VO answered, the decision in the
/// bulletin, and the credits per site on /status. Time moves only by the test clock.
/// </summary>
public abstract class PilotEndToEndTests(PostgresServer? postgres) : IAsyncLifetime
{
    private PilotWorld _w = null!;

    public async Task InitializeAsync() => _w = await PilotWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task BackwardCompatibleServerPilot_RunsFromRequestToWrapUp()
    {
        var w = _w;
        await w.PartnerAsync("Alpha", PilotWorld.Alice, "gold", null, "cream");
        await w.PartnerAsync("Beta", PilotWorld.Bob, "gold,platinum", "Europe/Lisbon");
        await w.PartnerAsync("Delta", PilotWorld.Eve, "silver", null, "cream");

        // 1–2: the request, told to the coordinators; pre-screen and the pilot coordinator.
        var n = await w.ScreenedAsync(category: "server-bc-major");
        Assert.Contains(await w.NoticesAsync(n), t => t.Recipient == "channel:operations" && t.Text.Contains($"New pilot request **P{n}**"));
        Assert.Contains(await w.NoticesAsync(n), t => t.Recipient == $"user:{PilotWorld.Pia}" && t.Text.Contains("appointed you pilot coordinator"));

        // Candidates from the Gold bin only, the one committed to the component first.
        var candidates = await w.SayAsync($"/pilot candidates P{n}", PilotWorld.Pia);
        Assert.Matches("(?s)\\*\\*Alpha\\*\\*: committed to cream.*\\*\\*Beta\\*\\*: not committed to it, Europe/Lisbon, pilots now: 0", candidates);
        Assert.DoesNotContain("Delta", candidates);
        Assert.Contains("invited", await w.SayAsync($"/pilot invite P{n} site=Alpha", PilotWorld.Pia));
        Assert.Contains("invited", await w.SayAsync($"/pilot invite P{n} site=Beta", PilotWorld.Pia));
        Assert.Contains(await w.NoticesAsync(n), t => t.Recipient == $"user:{PilotWorld.Alice}" && t.Text.Contains(PilotCards.AcceptVerb));

        // Invitations are cards: the click is the command, and the clicker is checked again.
        Assert.Contains("Only the admins of Alpha", await w.ClickAsync(PilotWorld.Eve, PilotCards.AcceptVerb, new { pilot = $"P{n}", site = "Alpha" }));
        Assert.Contains("takes part", await w.ClickAsync(PilotWorld.Alice, PilotCards.AcceptVerb, new { pilot = $"P{n}", site = "Alpha" }));
        Assert.Contains("takes part", await w.SayAsync($"/pilot answer P{n} accept site=Beta", PilotWorld.Bob));
        Assert.Contains("asked for its interest", await w.SayAsync($"/pilot vo P{n} name=atlas contact={PilotWorld.Vo}", PilotWorld.Pia));
        Assert.Contains("takes part", await w.ClickAsync(PilotWorld.Vo, PilotCards.AcceptVerb, new { pilot = $"P{n}", vo = "atlas" }));
        Assert.Contains("now receives **pilot P" + n, await w.App.SayAsync($"/channel bind pilot P{n}", PilotWorld.Pia, "Pia", "room-p1", isGroup: true));

        // 4–5: the kick-off, with the agreed set-up (2 working days), feedback period (10) and reminder cadence (3).
        var kickOff = await w.SayAsync($"/pilot kickoff P{n} date=2026-11-25 time=14:00 tz=Europe/Zurich length=90 setup=2 feedback=10 every=3", PilotWorld.Pia);
        Assert.Contains("2026-11-25 14:00 Europe/Zurich, 90 minutes", kickOff);
        Assert.Contains(await w.NoticesAsync(n, "kick-off"), t => t.Recipient == "channel:pilot/p" + n);
        Assert.Contains(await w.NoticesAsync(n, "kick-off"), t => t.Recipient == $"user:{PilotWorld.Vo}");
        var calendar = await w.App.CreateClient().GetStringAsync("/calendar.ics");
        Assert.Contains($"SUMMARY:Kick-off of pilot P{n}: CREAM pilot (cream 2.0)", calendar);
        Assert.Contains($"UID:pilot-{n}-kick-off@", calendar);

        // 6–7: start after the kick-off; each site sets up on its own calendar.
        w.Timers.At("2026-11-25 15:30");
        Assert.Contains("setting up at Alpha, Beta", await w.SayAsync($"/pilot start P{n}", PilotWorld.Pia));
        w.Timers.At("2026-11-26 10:00");
        Assert.Contains("Waiting for: Beta", await w.SayAsync($"/pilot setup P{n}", PilotWorld.Alice));
        await w.RunAtAsync("2026-11-27 16:00"); // Beta's set-up was due 2026-11-27 15:30 Zurich: it is reminded, Pia told
        Assert.Contains(await w.NoticesAsync(n, "set-up-overdue"), t => t.Recipient == $"user:{PilotWorld.Bob}");
        Assert.Contains(await w.NoticesAsync(n, "set-up-overdue"), t => t.Recipient == $"user:{PilotWorld.Pia}");
        w.Timers.At("2026-11-27 17:00"); // 16:00 in Lisbon: Beta's run counts from then
        Assert.Contains("Every site is set up", await w.SayAsync($"/pilot setup P{n} site=Beta", PilotWorld.Bob));
        Assert.Equal(PilotState.Running, (await w.PilotAsync(n)).State);

        // 8: feedback reminders to the VO at the agreed cadence; nobody answers them.
        var reminders = await w.PendingAsync(n, PilotTimers.Feedback);
        // Friday 17:00 is after hours: three working days count from Monday 09:00.
        Assert.Equal([Scheduling.Zurich.At("2026-12-03 09:00")], reminders.Select(r => r.DueAt));
        await w.RunAtAsync("2026-12-03 09:00");
        await w.RunAtAsync("2026-12-08 09:00");
        await w.RunAtAsync("2026-12-11 09:00");
        var poster = w.App.Services.GetRequiredService<BulletinPoster>();
        await poster.RunAsync("Operations meeting", Scheduling.Zurich.At("2026-12-07 14:00"));
        var midRun = await w.World.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.BulletinPosts));
        Assert.Contains($"**P{n}** CREAM pilot (cream 2.0): running; sites: Alpha, Beta; next: run ends 2026-12-11 16:00 UTC; waiting for feedback from atlas", midRun.Text);
        var toVo = (await w.NoticesAsync(n, "feedback-reminder")).Where(t => t.Recipient == $"user:{PilotWorld.Vo}").ToList();
        Assert.Equal(3, toVo.Count);
        Assert.All(toVo, t => Assert.Contains(PilotCards.FeedbackVerb, t.Text));
        Assert.Equal(3, (await w.NoticesAsync(n, "feedback-reminder")).Count(t => t.Recipient == $"user:{PilotWorld.Pia}" && t.Text.Contains("No VO gave feedback")));

        // The run ends (Beta's, the later): no VO answered, so "no feedback from users" is recorded and said.
        var pilot = await w.PilotAsync(n);
        Assert.Equal(Scheduling.Zurich.At("2026-12-11 17:00"), pilot.RunEndsAt); // 10 working days from Friday 16:00 in Lisbon
        Assert.Empty(await w.PendingAsync(n, PilotTimers.Feedback));
        await w.RunAtAsync(Scheduling.Zurich.Local(pilot.RunEndsAt!.Value));
        pilot = await w.PilotAsync(n);
        Assert.Equal(PilotState.WrapUp, pilot.State);
        Assert.True(pilot.NoFeedback);
        Assert.Contains("**no feedback from users** was received", await w.SayAsync($"/pilot show P{n}", PilotWorld.Bob));

        // 9: Alpha files its post-mortem; Beta's is late and escalated to the coordinators, then snoozed.
        Assert.Contains("post-mortem on P" + n + " is filed", await w.SayAsync($"/pilot postmortem P{n} report=\"smooth; 2 GB RAM more\"", PilotWorld.Alice));
        var due = pilot.Participants.Single(p => p.Name == "Beta").PostMortemDue!.Value;
        await w.RunAtAsync(Scheduling.Zurich.Local(due.AddMinutes(1)));
        var overdue = await w.NoticesAsync(n, "post-mortem-overdue");
        Assert.Contains(overdue, t => t.Recipient == "channel:operations" && t.Text.Contains("Beta's post-mortem report"));
        Assert.Contains(overdue, t => t.Recipient == $"user:{PilotWorld.Bob}");
        Assert.DoesNotContain(overdue, t => t.Text.Contains("Alpha's"));
        Assert.Contains("wait until", await w.SayAsync($"/pilot snooze P{n} site=Beta until={Scheduling.Zurich.Local(due.AddDays(7))[..10]} reason=\"admin away\"", PilotWorld.Coordinator));
        Assert.Single(await w.PendingAsync(n, PilotTimers.PostMortem));
        Assert.Contains("is filed", await w.SayAsync($"/pilot postmortem P{n} site=Beta report=\"stable\"", PilotWorld.Bob));
        Assert.Empty(await w.PendingAsync(n, PilotTimers.PostMortem));

        // 10: the wrap-up decision with its guidelines.
        var decided = await w.SayAsync($"/pilot wrapup P{n} decision=production guidelines=\"raise the job limit to 5000\"", PilotWorld.Pia);
        Assert.Contains("**production**", decided);
        Assert.Contains("No feedback from users was received", decided);
        Assert.Equal(PilotState.Production, (await w.PilotAsync(n)).State);
        Assert.Empty(await w.PendingAsync(n, PilotTimers.RunEnd));

        // The decision in the next bulletin and the feed; the credits per site on /status and in the metrics.
        await poster.RunAsync("Operations meeting", Scheduling.Zurich.At("2026-12-28 14:00"));
        var bulletin = (await w.World.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.BulletinPosts))).Last();
        Assert.Contains($"decided: **P{n}** CREAM pilot: wrap-up decision: production; guidelines: raise the job limit to 5000 (no feedback from users was received)", bulletin.Text);
        var feed = await w.App.CreateClient().GetStringAsync("/feed.atom");
        Assert.Contains($"Pilot P{n} CREAM pilot: production", feed);
        var status = await w.App.CreateClient().GetStringAsync("/status");
        Assert.Contains("<caption>Credits per site</caption><tr><td>Alpha</td><td>44</td></tr><tr><td>Beta</td><td>44</td></tr>", status); // 5.5 PD each, as seed 001 says
        Assert.Contains("<tr><td>pilot-coordinator</td><td>", status);
        var metrics = await w.SayAsync("/metrics", PilotWorld.Bob);
        Assert.Contains("- per site: Alpha 44, Beta 44", metrics);
        Assert.Contains($"- per pilot: P{n} ", metrics);
        Assert.Contains("\"bySite\":[{\"name\":\"Alpha\",\"credits\":44}", await w.App.CreateClient().GetStringAsync("/api/metrics"));
    }
}

public sealed class PilotEndToEndTestsOnSqlite() : PilotEndToEndTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PilotEndToEndTestsOnPostgres(PostgresServer postgres) : PilotEndToEndTests(postgres);
