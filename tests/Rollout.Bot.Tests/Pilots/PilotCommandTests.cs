using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Pilots;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>Each pilot command checks who is asking, refuses bad input saying how to fix it, and writes its history.</summary>
public abstract class PilotCommandTests(PostgresServer? postgres) : IAsyncLifetime
{
    private PilotWorld _w = null!;

    public async Task InitializeAsync() => _w = await PilotWorld.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Request_NeedsARole_AndListsEveryProblem()
    {
        Assert.Contains("Only people with a role", await _w.SayAsync("/pilot request title=x", PilotWorld.Carl));
        await _w.World.GrantAsync(PilotWorld.Carl, Role.Provider);

        var reply = await _w.SayAsync("/pilot request title=\"WMS\" category=server-bc-huge kind=boss", PilotWorld.Carl);

        Assert.Contains("Say what is piloted: `component=… version=…`, or link the release with `ticket=#N`", reply);
        Assert.Contains("`category=server-bc-huge` is not an update category (seed 004): client-bc, client-nbc, server-bc-minor", reply);
        Assert.Contains("`requester=` is missing", reply);
        Assert.Contains("`kind=boss` is not a requester kind", reply);
        Assert.Contains("needs no pilot", await _w.SayAsync("/pilot request title=x component=c version=1 category=client-bc requester=me kind=vo", PilotWorld.Carl));
        Assert.Equal(0, await _w.World.DbAsync(db => db.Pilots.CountAsync()));
    }

    [Fact]
    public async Task Screening_IsForCoordinators_AndADeclineNeedsAReason_ThatTheRequesterHears()
    {
        await _w.World.GrantAsync(PilotWorld.Carl, Role.Provider);
        Assert.Contains("Pilot **P1** requested", await _w.SayAsync("/pilot request title=\"WMS\" component=wms version=3.2 category=server-bc-minor requester=EMT kind=emt", PilotWorld.Carl));

        Assert.Contains("Only coordinators can pre-screen", await _w.SayAsync("/pilot screen P1 decline reason=no", PilotWorld.Carl));
        Assert.Contains("give the reason with `reason=", await _w.SayAsync("/pilot screen P1 decline", PilotWorld.Coordinator));
        Assert.Contains("is declined", await _w.SayAsync("/pilot screen P1 decline reason=\"no Gold site free before spring\"", PilotWorld.Coordinator));

        Assert.Contains(await _w.NoticesAsync(1, "screened"), t => t.Recipient == $"user:{PilotWorld.Carl}" && t.Text.Contains("no Gold site free before spring"));
        Assert.Contains("it is declined; that can only be done when it is requested", await _w.SayAsync("/pilot screen P1 accept", PilotWorld.Coordinator));
        Assert.Contains("No open pilots", await _w.SayAsync("/pilots", PilotWorld.Carl));
        Assert.Contains("**declined**", await _w.SayAsync("/pilots all", PilotWorld.Carl));
    }

    [Fact]
    public async Task OnlyTheLeadsPlanAndStart_AndStartNeedsAnAcceptedSiteAfterTheKickOff()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, "gold", null, "cream");
        var n = await _w.ScreenedAsync();

        Assert.Contains("Only coordinators or P1's pilot coordinator (Pia)", await _w.SayAsync($"/pilot kickoff P{n} date=2026-12-01 time=10:00", PilotWorld.Alice));
        Assert.Contains("has passed", await _w.SayAsync($"/pilot kickoff P{n} date=2026-11-20 time=10:00", PilotWorld.Pia));
        Assert.Contains("`time=25:00` is not a time", await _w.SayAsync($"/pilot kickoff P{n} date=2026-12-01 time=25:00", PilotWorld.Pia));
        Assert.Contains("feedback 5 working days", await _w.SayAsync($"/pilot kickoff P{n} date=2026-11-24 time=10:00", PilotWorld.Pia)); // minor: 1 week
        Assert.Contains("start it after that", await _w.SayAsync($"/pilot start P{n}", PilotWorld.Pia));
        _w.Timers.At("2026-11-24 11:00");
        Assert.Contains("no site has accepted the invitation yet", await _w.SayAsync($"/pilot start P{n}", PilotWorld.Pia));
    }

    [Fact]
    public async Task VoFeedback_ThroughTheCardForm_IsRecordedAndToldToThePilotCoordinator_OthersAreRefused()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, "gold", null, "cream");
        var n = await _w.ScreenedAsync(category: "server-bc-major");
        await _w.SayAsync($"/pilot invite P{n} site=Alpha", PilotWorld.Pia);
        await _w.SayAsync($"/pilot answer P{n} accept", PilotWorld.Alice);
        await _w.SayAsync($"/pilot vo P{n} name=CMS contact={PilotWorld.Vo}", PilotWorld.Pia);
        await _w.SayAsync($"/pilot answer P{n} accept vo=cms", PilotWorld.Vo);
        await _w.SayAsync($"/pilot kickoff P{n} date=2026-11-24 time=10:00", PilotWorld.Pia);
        _w.Timers.At("2026-11-24 11:00");
        await _w.SayAsync($"/pilot start P{n}", PilotWorld.Pia);
        await _w.SayAsync($"/pilot setup P{n}", PilotWorld.Alice);

        Assert.Contains("Only cms's contact", await _w.ClickAsync(PilotWorld.Bob, PilotCards.FeedbackVerb, new { pilot = $"P{n}", vo = "cms", text = "spam" }));
        var thanks = await _w.ClickAsync(PilotWorld.Vo, PilotCards.FeedbackVerb, new { pilot = $"P{n}", vo = "cms", text = "submission 3x faster" });

        Assert.Contains("VO cms's feedback on P1 is recorded", thanks);
        Assert.Contains(await _w.NoticesAsync(n, "feedback"), t => t.Recipient == $"user:{PilotWorld.Pia}" && t.Text.Contains("submission 3x faster"));
        Assert.Contains("feedback from VO cms: submission 3x faster", await _w.SayAsync($"/pilot show P{n}", PilotWorld.Bob));
    }

    [Fact]
    public async Task NonCertifiedSoftware_IsFlaggedWithItsJustification_AndActualEffortReplacesTheDefault()
    {
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, "gold", null, "cream");
        var n = await _w.ScreenedAsync();
        Assert.Contains("`justification=` is missing", await _w.SayAsync($"/pilot noncertified P{n} package=cream-2.0-rc1", PilotWorld.Pia));
        Assert.Contains("is flagged", await _w.SayAsync($"/pilot noncertified P{n} package=cream-2.0-rc1 justification=\"fix needed by ATLAS before certification ends\"", PilotWorld.Pia));
        Assert.Contains("**non-certified software**: cream-2.0-rc1: fix needed by ATLAS", await _w.SayAsync($"/pilot show P{n}", PilotWorld.Alice));

        await _w.SayAsync($"/pilot invite P{n} site=Alpha", PilotWorld.Pia);
        await _w.SayAsync($"/pilot answer P{n} accept", PilotWorld.Alice);
        await _w.SayAsync($"/pilot kickoff P{n} date=2026-11-24 time=10:00", PilotWorld.Pia);
        _w.Timers.At("2026-11-24 11:00");
        await _w.SayAsync($"/pilot start P{n}", PilotWorld.Pia);
        await _w.SayAsync($"/pilot setup P{n}", PilotWorld.Alice);
        Assert.Contains("Only the admins of Alpha", await _w.SayAsync($"/pilot effort P{n} task=set-up hours=20 site=Alpha", PilotWorld.Bob));
        Assert.Contains("`task=lunch` is not a pilot task", await _w.SayAsync($"/pilot effort P{n} task=lunch hours=1", PilotWorld.Pia));

        Assert.Contains("instead of the default 12 PH", await _w.SayAsync($"/pilot effort P{n} task=set-up hours=20 site=Alpha", PilotWorld.Alice));

        var effort = await _w.World.DbAsync(db => db.PilotEffort.AsNoTracking().Where(e => e.PilotId == n).ToListAsync());
        Assert.Equal(20m, effort.Single(e => e.Task == PilotTasks.SetUp).Credits);
        Assert.Equal(6m, effort.Single(e => e.Task == PilotTasks.PreScreen).Credits);
        Assert.Equal(2m, effort.Single(e => e.Task == PilotTasks.Instruct).Credits);
    }
}

public sealed class PilotCommandTestsOnSqlite() : PilotCommandTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PilotCommandTestsOnPostgres(PostgresServer postgres) : PilotCommandTests(postgres);
