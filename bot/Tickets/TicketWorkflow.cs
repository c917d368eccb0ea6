namespace Rollout.Bot.Tickets;

/// <summary>What can happen to a ticket; each trigger is one command.</summary>
public enum TicketTrigger { PackagesPulled, PullFailed, Verify, Reject, Accept, Report, Withdraw, Close, EmergencySkip, Cancel }

/// <summary>What the guards look at, gathered by the caller; the workflow itself reads nothing.</summary>
public sealed record TicketFacts(
    ReleaseType Type, bool HasRepositoryUrl = false, bool HasReason = false, int OpenSites = 0, int DoneSites = 0, Outcome? Outcome = null);

public sealed record Transition(TicketState From, TicketTrigger Trigger, TicketState To, Func<TicketFacts, string?>? Guard = null);

/// <summary>The next state, or why not. A refusal is never silent: the command shows <see cref="Failure"/>.</summary>
public sealed record TransitionResult(TicketState? Next, string? Failure)
{
    public bool Allowed => Next is not null;
}

/// <summary>
/// The staged-rollout state machine as one table, pure: (state, trigger) → next state, with guards. Moves that
/// do not change the state (a failed pull, a second site accepting, a report, a withdrawal) are rows too, so
/// "may this happen now?" has a single answer for every command.
/// </summary>
public static class TicketWorkflow
{
    public static readonly IReadOnlyList<Transition> Table =
    [
        new(TicketState.Certified, TicketTrigger.PackagesPulled, TicketState.Unverified),
        new(TicketState.Certified, TicketTrigger.PullFailed, TicketState.Certified, NeedsReason),
        new(TicketState.Unverified, TicketTrigger.Verify, TicketState.Verified,
            f => f.HasRepositoryUrl ? null : "a staged-rollout repository URL is required (repo=https://…)"),
        new(TicketState.Unverified, TicketTrigger.Reject, TicketState.Rejected, NeedsReason),
        new(TicketState.Verified, TicketTrigger.Accept, TicketState.RollingOut),
        new(TicketState.RollingOut, TicketTrigger.Accept, TicketState.RollingOut),
        new(TicketState.RollingOut, TicketTrigger.Report, TicketState.RollingOut),
        new(TicketState.RollingOut, TicketTrigger.Withdraw, TicketState.RollingOut, NeedsReason),
        new(TicketState.RollingOut, TicketTrigger.Close, TicketState.Closed, CanClose),
        // Nobody accepted: the coordinator may still end it, but only as a reject (CanClose needs a report for success).
        new(TicketState.Verified, TicketTrigger.Close, TicketState.Closed, CanClose),
        new(TicketState.Verified, TicketTrigger.EmergencySkip, TicketState.Closed, CanSkip),
        // Opened by mistake, or withdrawn by its provider: an end of its own, which is neither a reject nor a release.
        new(TicketState.Certified, TicketTrigger.Cancel, TicketState.Cancelled, NeedsReason),
        new(TicketState.Unverified, TicketTrigger.Cancel, TicketState.Cancelled, NeedsReason),
        new(TicketState.Verified, TicketTrigger.Cancel, TicketState.Cancelled, NeedsReason),
        new(TicketState.RollingOut, TicketTrigger.Cancel, TicketState.Cancelled, NeedsReason),
    ];

    public static TransitionResult Fire(TicketState from, TicketTrigger trigger, TicketFacts facts)
    {
        var row = Table.FirstOrDefault(t => t.From == from && t.Trigger == trigger);
        if (row is null) return new(null, Refusal(from, trigger));
        var failure = row.Guard?.Invoke(facts);
        return failure is null ? new(row.To, null) : new(null, $"`{Command(trigger)}` is not possible yet: {failure}.");
    }

    public static IReadOnlyList<TicketTrigger> AllowedFrom(TicketState state) =>
        Table.Where(t => t.From == state).Select(t => t.Trigger).Distinct().ToList();

    /// <summary>The command a user types for a trigger, as shown in refusals.</summary>
    public static string Command(TicketTrigger trigger) => trigger switch
    {
        TicketTrigger.PackagesPulled => "/unverified",
        TicketTrigger.PullFailed => "/unverified failed",
        TicketTrigger.Verify => "/verify",
        TicketTrigger.Reject => "/reject",
        TicketTrigger.Accept => "/accept",
        TicketTrigger.Report => "/report",
        TicketTrigger.Withdraw => "/withdraw",
        TicketTrigger.Close => "/close",
        TicketTrigger.EmergencySkip => "/emergency skip",
        TicketTrigger.Cancel => "/cancel",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
    };

    private static string Refusal(TicketState from, TicketTrigger trigger)
    {
        var allowed = AllowedFrom(from);
        var next = allowed.Count == 0
            ? "nothing more can happen to it"
            : "from there: " + string.Join(", ", allowed.Select(t => $"`{Command(t)}`"));
        return $"`{Command(trigger)}` is not possible: the ticket is {from.ToName()}; {next}.";
    }

    private static string? NeedsReason(TicketFacts f) => f.HasReason ? null : "a reason is required (reason=\"…\")";

    private static string? CanClose(TicketFacts f)
    {
        if (f.Outcome is null) return "an outcome is required (outcome=success|warning|reject)";
        if (f.OpenSites > 0) return $"{f.OpenSites} accepted site(s) have not reported yet; wait for their `/report` or `/withdraw` a silent site";
        if (f.Outcome != Outcome.Reject && f.DoneSites == 0)
            return "no site has reported, so it cannot go to production; close with outcome=reject, or use `/emergency skip` for an emergency release";
        return null;
    }

    private static string? CanSkip(TicketFacts f)
    {
        if (f.Type != ReleaseType.Emergency) return $"only an emergency release may skip the staged rollout, and this one is {f.Type.ToName()}";
        return NeedsReason(f);
    }
}
