using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Protocol;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

/// <summary>Seed 002 §3.1: whoever asked to join hears the decision in their own chat, and the card names who decided.</summary>
public abstract class JoinDecisionTests(PostgresServer? postgres) : EngineTests(postgres)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CoordinatorSays("/component add name=CREAM stack=glite");
        await App.SayAsync("/join site=IFCA name=\"Ana Pérez\" email=ana@ifca.es component=CREAM", "u-ana", "Ana", "conv-ana");
    }

    private Task<List<(string Key, string Recipient, string Text)>> NoticesAsync() => QueryAsync(async db =>
        (await db.Notices.AsNoTracking().Where(n => n.DedupeKey.StartsWith("engagement:1")).OrderBy(n => n.Id).ToListAsync())
        .Select(n => (n.DedupeKey, n.Recipient, BotMessage.FromJson(n.PayloadJson) is var m ? m.Text + string.Concat(m.Cards.Select(c => c.GetRawText())) : "")).ToList());

    [Fact]
    public async Task Approve_TellsTheRequester_AndTheCardNamesTheCoordinator()
    {
        Assert.Contains("approved", await CoordinatorSays("/approve req=1"));

        var notices = await NoticesAsync();
        var told = Assert.Single(notices, n => n.Recipient == "user:u-ana");
        Assert.Equal("engagement:1:approved", told.Key);
        Assert.Contains("Your request #1 to join **IFCA** as Early Adopter of CREAM was approved by Cora Coordinator.", told.Text);
        var card = Assert.Single(notices, n => n.Key == "engagement:1#update" || n.Key == "engagement:1:requested");
        Assert.Contains("Approved by Cora Coordinator.", card.Text);
        Assert.DoesNotContain("Approved by u-coord", card.Text);
        Assert.Equal("Cora Coordinator", await QueryAsync(db => db.EngagementRequests.Select(r => r.DecidedByName).SingleAsync()));
    }

    [Fact]
    public async Task Decline_TellsTheRequesterTheReason()
    {
        Assert.Contains("declined", await CoordinatorSays("/decline req=1 reason=\"IFCA runs no CREAM CE yet\""));

        var told = Assert.Single(await NoticesAsync(), n => n.Recipient == "user:u-ana");
        Assert.Equal("engagement:1:declined", told.Key);
        Assert.Contains("was declined by Cora Coordinator: IFCA runs no CREAM CE yet.", told.Text);
        Assert.Contains("Request #1 was already declined by Cora Coordinator", await CoordinatorSays("/approve req=1"));
    }

    [Fact]
    public async Task RefusedDecision_TellsTheRequesterNothing()
    {
        await App.SayAsync("/approve req=1", "u-ana", "Ana", "conv-ana");

        Assert.DoesNotContain(await NoticesAsync(), n => n.Recipient == "user:u-ana");
        Assert.Equal(RequestState.Pending, await QueryAsync(db => db.EngagementRequests.Select(r => r.State).SingleAsync()));
    }
}

public sealed class JoinDecisionTestsOnSqlite() : JoinDecisionTests(null);

[Collection(PostgresCollection.Name)]
public sealed class JoinDecisionTestsOnPostgres(PostgresServer postgres) : JoinDecisionTests(postgres);
