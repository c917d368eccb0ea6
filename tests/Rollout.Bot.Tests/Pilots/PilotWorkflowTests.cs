using Rollout.Bot.Pilots;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>The whole pilot state table: every allowed move, its guards, and a clear refusal for everything else.</summary>
public sealed class PilotWorkflowTests
{
    private static readonly PilotFacts Ready = new(AcceptedSites: 2, HasReason: true, HasCoordinator: true, HasNewEnd: true);

    [Theory]
    [InlineData(PilotState.Requested, PilotTrigger.Accept, PilotState.Screened)]
    [InlineData(PilotState.Requested, PilotTrigger.Decline, PilotState.Declined)]
    [InlineData(PilotState.Screened, PilotTrigger.PlanKickOff, PilotState.KickOffPlanned)]
    [InlineData(PilotState.KickOffPlanned, PilotTrigger.PlanKickOff, PilotState.KickOffPlanned)]
    [InlineData(PilotState.KickOffPlanned, PilotTrigger.Start, PilotState.SettingUp)]
    [InlineData(PilotState.SettingUp, PilotTrigger.AllSetUp, PilotState.Running)]
    [InlineData(PilotState.Running, PilotTrigger.RunEnded, PilotState.WrapUp)]
    [InlineData(PilotState.Prolonged, PilotTrigger.RunEnded, PilotState.WrapUp)]
    [InlineData(PilotState.WrapUp, PilotTrigger.Production, PilotState.Production)]
    [InlineData(PilotState.Running, PilotTrigger.Production, PilotState.Production)]
    [InlineData(PilotState.WrapUp, PilotTrigger.Prolong, PilotState.Prolonged)]
    [InlineData(PilotState.Prolonged, PilotTrigger.Abandon, PilotState.Abandoned)]
    [InlineData(PilotState.Requested, PilotTrigger.Abandon, PilotState.Abandoned)]
    public void AllowedMoves_GoWhereTheTableSays(PilotState from, PilotTrigger trigger, PilotState to)
    {
        var (next, refusal) = PilotWorkflow.Next(from, trigger, Ready);

        Assert.Null(refusal);
        Assert.Equal(to, next);
    }

    [Theory]
    [InlineData(PilotState.Requested, PilotTrigger.Start)]
    [InlineData(PilotState.Declined, PilotTrigger.Accept)]
    [InlineData(PilotState.Screened, PilotTrigger.Production)]
    [InlineData(PilotState.Production, PilotTrigger.Abandon)]
    [InlineData(PilotState.Abandoned, PilotTrigger.Prolong)]
    [InlineData(PilotState.SettingUp, PilotTrigger.RunEnded)]
    public void OtherMoves_AreRefusedSayingWhenTheyApply(PilotState from, PilotTrigger trigger)
    {
        var (next, refusal) = PilotWorkflow.Next(from, trigger, Ready);

        Assert.Null(next);
        Assert.StartsWith($"it is {from.ToName()}; that can only be done when it is", refusal);
    }

    [Theory]
    [InlineData(PilotState.Requested, PilotTrigger.Decline, "reason=")]
    [InlineData(PilotState.KickOffPlanned, PilotTrigger.Start, "no site has accepted")]
    [InlineData(PilotState.Screened, PilotTrigger.PlanKickOff, "pilot coordinator first")]
    [InlineData(PilotState.WrapUp, PilotTrigger.Prolong, "until=")]
    [InlineData(PilotState.Running, PilotTrigger.Abandon, "reason=")]
    public void Guards_SayWhatIsMissing(PilotState from, PilotTrigger trigger, string missing)
    {
        var (next, refusal) = PilotWorkflow.Next(from, trigger, new PilotFacts(0, false, false, false));

        Assert.Null(next);
        Assert.Contains(missing, refusal);
    }

    [Fact]
    public void StateNames_RoundTripThroughTheirStoredKeys()
    {
        foreach (var state in Enum.GetValues<PilotState>()) Assert.Equal(state, PilotWorkflow.ParseKey(state.ToKey()));
    }
}
