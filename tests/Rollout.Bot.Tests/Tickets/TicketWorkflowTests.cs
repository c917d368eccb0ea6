using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>The whole transition table, written out here independently of the production table, legal and illegal.</summary>
public sealed class TicketWorkflowTests
{
    private static readonly TicketFacts Ready = new(ReleaseType.Minor, HasRepositoryUrl: true, HasReason: true, OpenSites: 0, DoneSites: 1, Outcome: Outcome.Success);
    private static readonly TicketFacts EmergencyReady = Ready with { Type = ReleaseType.Emergency };

    private static readonly (TicketState From, TicketTrigger Trigger, TicketState To)[] Legal =
    [
        (TicketState.Certified, TicketTrigger.PackagesPulled, TicketState.Unverified),
        (TicketState.Certified, TicketTrigger.PullFailed, TicketState.Certified),
        (TicketState.Unverified, TicketTrigger.Verify, TicketState.Verified),
        (TicketState.Unverified, TicketTrigger.Reject, TicketState.Rejected),
        (TicketState.Verified, TicketTrigger.Accept, TicketState.RollingOut),
        (TicketState.Verified, TicketTrigger.Close, TicketState.Closed),
        (TicketState.Verified, TicketTrigger.EmergencySkip, TicketState.Closed),
        (TicketState.RollingOut, TicketTrigger.Accept, TicketState.RollingOut),
        (TicketState.RollingOut, TicketTrigger.Report, TicketState.RollingOut),
        (TicketState.RollingOut, TicketTrigger.Withdraw, TicketState.RollingOut),
        (TicketState.RollingOut, TicketTrigger.Close, TicketState.Closed),
        (TicketState.Certified, TicketTrigger.Cancel, TicketState.Cancelled),
        (TicketState.Unverified, TicketTrigger.Cancel, TicketState.Cancelled),
        (TicketState.Verified, TicketTrigger.Cancel, TicketState.Cancelled),
        (TicketState.RollingOut, TicketTrigger.Cancel, TicketState.Cancelled),
    ];

    public static TheoryData<TicketState, TicketTrigger, TicketState> LegalRows()
    {
        var data = new TheoryData<TicketState, TicketTrigger, TicketState>();
        foreach (var (from, trigger, to) in Legal) data.Add(from, trigger, to);
        return data;
    }

    public static TheoryData<TicketState, TicketTrigger> IllegalRows()
    {
        var data = new TheoryData<TicketState, TicketTrigger>();
        foreach (var from in Enum.GetValues<TicketState>())
        foreach (var trigger in Enum.GetValues<TicketTrigger>())
            if (!Legal.Any(l => l.From == from && l.Trigger == trigger)) data.Add(from, trigger);
        return data;
    }

    [Theory]
    [MemberData(nameof(LegalRows))]
    public void LegalMove_WithGuardsSatisfied_GoesToTheNextState(TicketState from, TicketTrigger trigger, TicketState to)
    {
        var result = TicketWorkflow.Fire(from, trigger, EmergencyReady);

        Assert.True(result.Allowed, result.Failure);
        Assert.Equal(to, result.Next);
    }

    [Theory]
    [MemberData(nameof(IllegalRows))]
    public void IllegalMove_IsRefused_NamingTheStateAndTheAllowedMoves(TicketState from, TicketTrigger trigger)
    {
        var result = TicketWorkflow.Fire(from, trigger, EmergencyReady);

        Assert.False(result.Allowed);
        Assert.Contains($"the ticket is {from.ToName()}", result.Failure);
        Assert.Contains(TicketWorkflow.Command(trigger), result.Failure);
        var allowed = Legal.Where(l => l.From == from).Select(l => TicketWorkflow.Command(l.Trigger)).ToList();
        if (allowed.Count == 0) Assert.Contains("nothing more can happen", result.Failure);
        foreach (var command in allowed) Assert.Contains($"`{command}`", result.Failure);
    }

    [Fact]
    public void TableHoldsExactlyTheExpectedRows() =>
        Assert.Equal(Legal.OrderBy(l => l.ToString()), TicketWorkflow.Table.Select(t => (t.From, t.Trigger, t.To)).OrderBy(l => l.ToString()));

    [Theory]
    [InlineData(TicketState.Unverified, TicketTrigger.Verify, "repository URL is required")]
    [InlineData(TicketState.Unverified, TicketTrigger.Reject, "a reason is required")]
    [InlineData(TicketState.Certified, TicketTrigger.PullFailed, "a reason is required")]
    [InlineData(TicketState.Verified, TicketTrigger.Cancel, "a reason is required")]
    [InlineData(TicketState.RollingOut, TicketTrigger.Withdraw, "a reason is required")]
    [InlineData(TicketState.Verified, TicketTrigger.EmergencySkip, "only an emergency release")]
    [InlineData(TicketState.RollingOut, TicketTrigger.Close, "an outcome is required")]
    public void GuardedMove_WithoutWhatTheGuardNeeds_IsRefusedSayingWhy(TicketState from, TicketTrigger trigger, string why)
    {
        var bare = new TicketFacts(ReleaseType.Minor);

        var result = TicketWorkflow.Fire(from, trigger, bare);

        Assert.False(result.Allowed);
        Assert.Contains(why, result.Failure);
    }

    [Fact]
    public void Close_WhileASiteHasNotReported_IsRefused()
    {
        var result = TicketWorkflow.Fire(TicketState.RollingOut, TicketTrigger.Close, Ready with { OpenSites = 2, DoneSites = 3 });

        Assert.False(result.Allowed);
        Assert.Contains("2 accepted site(s) have not reported", result.Failure);
    }

    [Theory]
    [InlineData(Outcome.Success, false)]
    [InlineData(Outcome.Warning, false)]
    [InlineData(Outcome.Reject, true)]
    public void Close_WithNoReportAtAll_OnlyAllowsReject(Outcome outcome, bool allowed)
    {
        var result = TicketWorkflow.Fire(TicketState.Verified, TicketTrigger.Close, Ready with { DoneSites = 0, Outcome = outcome });

        Assert.Equal(allowed, result.Allowed);
    }

    [Fact]
    public void ClosedAndRejectedTickets_AllowNothing()
    {
        Assert.Empty(TicketWorkflow.AllowedFrom(TicketState.Closed));
        Assert.Empty(TicketWorkflow.AllowedFrom(TicketState.Rejected));
    }
}
