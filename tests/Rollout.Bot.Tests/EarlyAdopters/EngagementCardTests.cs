using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.EarlyAdopters;

public sealed class EngagementCardTests : IDisposable
{
    private const string Ops = "conv-ops", Ana = "u-ana";
    private readonly NoticeCardWorld _world = new();

    public void Dispose() => _world.Dispose();

    private async Task JoinAsync()
    {
        Assert.Contains("now receives", await _world.App.SayAsync("/channel bind operations", NoticeCardWorld.Coordinator, Ops, isGroup: true));
        await _world.App.SayAsync("/component add name=CREAM stack=glite", NoticeCardWorld.Coordinator);
        Assert.Contains("Request **#1**", await _world.App.SayAsync(
            "/join site=IFCA name=\"Ana Pérez\" email=ana@ifca.es component=CREAM", Ana, "conv-" + Ana));
    }

    private async Task<RequestState> StateAsync()
    {
        await using var db = await _world.App.DbAsync();
        return (await db.EngagementRequests.AsNoTracking().SingleAsync()).State;
    }

    [Fact]
    public async Task Join_PostsARequestCardToTheOperationsRoom_AndApproveOnItDecidesAndUpdatesItInPlace()
    {
        await JoinAsync();
        var sent = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == Ops));
        Assert.Contains(EngagementCard.ApproveVerb, sent.Single(x => x.Op == "send" && x.ConversationId == Ops).Activity.Attachments![0].Content!.Value.GetRawText());
        await Notices.CardUpdateTests.WaitForCopiesAsync(_world.App, 1);

        var reply = await _world.SubmitAsync(NoticeCardWorld.Coordinator, new { verb = EngagementCard.ApproveVerb, req = "1" }, Ops);

        Assert.Contains("Request #1 approved", reply);
        Assert.Equal(RequestState.Approved, await StateAsync());
        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "update" && x.ConversationId == Ops));
        var json = calls.Single(x => x.Op == "update").Activity.Attachments![0].Content!.Value.GetRawText();
        Assert.Contains("Approved by u-coord", json);
        Assert.DoesNotContain(EngagementCard.ApproveVerb, json);
    }

    [Fact]
    public async Task DecisionClicks_CheckTheCoordinatorRoleAndThatTheRequestIsStillPending()
    {
        await JoinAsync();

        Assert.Contains("coordinator", await _world.SubmitAsync(Ana, new { verb = EngagementCard.ApproveVerb, req = "1" }, Ops));
        Assert.Equal(RequestState.Pending, await StateAsync());

        var declined = await _world.ExecuteAsync(NoticeCardWorld.Coordinator, EngagementCard.DeclineVerb, new { req = "1", reason = "no CREAM CE yet" }, Ops);
        Assert.Contains("declined: no CREAM CE yet", declined.GetProperty("value").GetString());
        var stale = await _world.ExecuteAsync(NoticeCardWorld.Coordinator, EngagementCard.ApproveVerb, new { req = "1" }, Ops);
        Assert.Contains("already declined", NoticeCardWorld.Refusal(stale));
        Assert.Equal(RequestState.Declined, await StateAsync());
    }
}
