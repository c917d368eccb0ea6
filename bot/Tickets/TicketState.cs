using System.Collections.Frozen;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>Where a release is in the staged rollout (seed 002 §2.4).</summary>
public enum TicketState { Certified, Unverified, Verified, Rejected, RollingOut, Closed, Cancelled }

/// <summary>Which states are still in progress: the one list every surface uses.</summary>
public static class TicketStates
{
    /// <summary>Open: nothing has ended it yet (a literal array, so queries translate to an index-friendly IN).</summary>
    public static readonly TicketState[] Open = [TicketState.Certified, TicketState.Unverified, TicketState.Verified, TicketState.RollingOut];

    public static bool IsOpen(this TicketState state) => Array.IndexOf(Open, state) >= 0;
}

/// <summary>Release categories of seed 002 §2.2; only emergency releases may skip the staged rollout.</summary>
public enum ReleaseType { Emergency, Revision, Minor, Major }

/// <summary>Each release type's row of Table 3: the one time-line timers, metrics, the status page and /deadlines use.</summary>
public static class ReleaseTypes
{
    private static readonly ReleaseTimeline[] Rows = Enum.GetValues<ReleaseType>().Select(t => ReleaseTimelines.Table3[t.ToName()]).ToArray();

    public static ReleaseTimeline Timeline(this ReleaseType type) => Rows[(int)type];
}

/// <summary>How a staged rollout ended, for one site or for the ticket; success and warning mean "to production".</summary>
public enum Outcome { Success, Warning, Reject }

/// <summary>The words users type and the database stores for the ticket enums: lower case, kebab for two words.</summary>
public static class TicketNames
{
    public static string ToName(this TicketState state) => state == TicketState.RollingOut ? "rolling-out" : state.ToString().ToLowerInvariant();
    public static string ToName(this ReleaseType type) => type.ToString().ToLowerInvariant();
    public static string ToName(this Outcome outcome) => outcome.ToString().ToLowerInvariant();

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var word = text.Trim().Replace("-", "", StringComparison.Ordinal);
        // Enum.TryParse also takes numbers ("3"); users must type the name.
        return !word.All(char.IsDigit) && Enum.TryParse(word, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>Reads a stored name; the exact stored spelling is a dictionary hit (metrics read it for every row of a year).</summary>
    public static T Parse<T>(string text) where T : struct, Enum =>
        Stored<T>.Names.TryGetValue(text, out var known) ? known
        : TryParse<T>(text, out var value) ? value : throw new InvalidOperationException($"Unknown {typeof(T).Name} '{text}' in the database.");

    /// <summary>Each value of <typeparamref name="T"/> by its exact stored name (metrics turn them into numbers in SQL).</summary>
    public static IReadOnlyDictionary<string, T> StoredNames<T>() where T : struct, Enum => Stored<T>.Names;

    private static string Name<T>(T value) where T : struct, Enum => value switch
    {
        TicketState s => s.ToName(),
        ReleaseType t => t.ToName(),
        Outcome o => o.ToName(),
        _ => value.ToString().ToLowerInvariant(),
    };

    private static class Stored<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<string, T> Names =
            Enum.GetValues<T>().ToFrozenDictionary(v => Name(v), StringComparer.Ordinal);
    }

    public static string Names<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => Name(v)));
}
