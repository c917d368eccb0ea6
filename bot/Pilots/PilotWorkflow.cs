namespace Rollout.Bot.Pilots;

/// <summary>
/// The states of a pilot (seed 001 §4.1.3, the ten steps): requested (1) → screened or declined (2) → kick-off planned
/// (3–5) → setting up (6–7) → running (8) → wrap-up (9–10, the run's time is up) → decided: production, prolonged
/// (running again to a new end) or abandoned.
/// </summary>
public enum PilotState { Requested, Screened, Declined, KickOffPlanned, SettingUp, Running, Prolonged, WrapUp, Production, Abandoned }

public enum PilotTrigger { Accept, Decline, PlanKickOff, Start, AllSetUp, RunEnded, Production, Prolong, Abandon }

/// <summary>What the table's guards need to know, read from the pilot by its operations.</summary>
public sealed record PilotFacts(int AcceptedSites, bool HasReason, bool HasCoordinator, bool HasNewEnd);

/// <summary>
/// The pilot state machine as a pure table of (state, trigger) → next state with guards. An illegal move returns the
/// sentence the user reads; nothing is ever silently ignored.
/// </summary>
public static class PilotWorkflow
{
    private sealed record Row(PilotState From, PilotTrigger Trigger, PilotState To, Func<PilotFacts, string?>? Guard = null);

    private static string? Reason(PilotFacts f) => f.HasReason ? null : "give the reason with `reason=\"…\"`";
    private static string? Sites(PilotFacts f) => f.AcceptedSites > 0 ? null : "no site has accepted the invitation yet (`/pilot invite`)";
    private static string? Coordinator(PilotFacts f) => f.HasCoordinator ? null : "appoint its pilot coordinator first (`/pilot coordinator`)";
    private static string? NewEnd(PilotFacts f) => f.HasNewEnd ? null : "give the new end with `until=YYYY-MM-DD`";

    private static readonly PilotState[] Deciding = [PilotState.Running, PilotState.Prolonged, PilotState.WrapUp];

    private static readonly IReadOnlyList<Row> Rows =
    [
        new(PilotState.Requested, PilotTrigger.Accept, PilotState.Screened),
        new(PilotState.Requested, PilotTrigger.Decline, PilotState.Declined, Reason),
        new(PilotState.Screened, PilotTrigger.PlanKickOff, PilotState.KickOffPlanned, Coordinator),
        new(PilotState.KickOffPlanned, PilotTrigger.PlanKickOff, PilotState.KickOffPlanned),
        new(PilotState.KickOffPlanned, PilotTrigger.Start, PilotState.SettingUp, Sites),
        new(PilotState.SettingUp, PilotTrigger.AllSetUp, PilotState.Running),
        new(PilotState.Running, PilotTrigger.RunEnded, PilotState.WrapUp),
        new(PilotState.Prolonged, PilotTrigger.RunEnded, PilotState.WrapUp),
        .. Deciding.Select(s => new Row(s, PilotTrigger.Production, PilotState.Production)),
        .. Deciding.Select(s => new Row(s, PilotTrigger.Prolong, PilotState.Prolonged, NewEnd)),
        .. Open.Select(s => new Row(s, PilotTrigger.Abandon, PilotState.Abandoned, Reason)),
    ];

    /// <summary>States in which a pilot still needs someone: everything but declined and decided.</summary>
    public static IReadOnlyList<PilotState> Open =>
        [PilotState.Requested, PilotState.Screened, PilotState.KickOffPlanned, PilotState.SettingUp, PilotState.Running, PilotState.Prolonged, PilotState.WrapUp];

    /// <summary>States in which sites are busy with the pilot (their current load).</summary>
    public static IReadOnlyList<PilotState> Active =>
        [PilotState.KickOffPlanned, PilotState.SettingUp, PilotState.Running, PilotState.Prolonged, PilotState.WrapUp];

    public static bool IsOpen(this PilotState s) => Open.Contains(s);

    public static (PilotState? To, string? Refusal) Next(PilotState from, PilotTrigger trigger, PilotFacts facts)
    {
        var row = Rows.FirstOrDefault(r => r.From == from && r.Trigger == trigger);
        if (row is null)
        {
            var allowed = Rows.Where(r => r.Trigger == trigger).Select(r => r.From.ToName()).Distinct().ToList();
            return (null, $"it is {from.ToName()}; that can only be done when it is {string.Join(" or ", allowed)}");
        }
        return row.Guard?.Invoke(facts) is { } why ? (null, why) : (row.To, null);
    }

    public static string ToName(this PilotState s) => s switch
    {
        PilotState.KickOffPlanned => "kick-off planned",
        PilotState.SettingUp => "setting up",
        PilotState.WrapUp => "wrap-up",
        _ => s.ToString().ToLowerInvariant(),
    };

    /// <summary>The stored name: kebab-case.</summary>
    public static string ToKey(this PilotState s) => s.ToName().Replace(' ', '-');

    public static PilotState ParseKey(string key) =>
        Enum.GetValues<PilotState>().FirstOrDefault(s => s.ToKey() == key, PilotState.Requested) is var s && s.ToKey() == key
            ? s : throw new FormatException($"'{key}' is not a pilot state.");
}
