using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Notices;

/// <summary>
/// A conversation a coordinator bound to a notice purpose (seed 002 §2.3/§5: the mailing lists become channels).
/// One conversation per (purpose, stack): binding another conversation moves the purpose there. The stored
/// conversation reference (table <c>conversations</c>) supplies serviceUrl and ids at send time; a Teams channel
/// also keeps its channel id so each notice starts a new thread there.
/// </summary>
public sealed class ChannelBinding
{
    public required string Purpose { get; set; }
    /// <summary>The stack for early-adopters bindings; empty for the purposes that have none.</summary>
    public required string Stack { get; set; }
    public required string ChannelId { get; set; }
    public required string ConversationId { get; set; }
    public string? TeamsChannelId { get; set; }
    public string? TenantId { get; set; }
    public required string BoundBy { get; set; }
    public DateTimeOffset BoundAt { get; set; }

    public string Label => NoticePurposes.Label(Purpose, Stack);

    internal static void Map(ModelBuilder model) => model.Entity<ChannelBinding>(e =>
    {
        e.ToTable("channel_bindings");
        e.HasKey(b => new { b.Purpose, b.Stack });
    });
}

/// <summary>The notice purposes a conversation can be bound to, and which of them are per stack.</summary>
public static class NoticePurposes
{
    public const string EarlyAdopters = "early-adopters";
    public const string Operations = "operations";
    public const string Broadcast = "broadcast";
    public const string Security = "security";
    /// <summary>A pilot's own room (seed 000: the pilot's channels); its "stack" is the pilot's number, p1.</summary>
    public const string Pilot = "pilot";

    /// <summary>A task force's own room, keyed by the task force's id and bound with <c>/taskforce bind</c>, not <c>/channel</c>.</summary>
    public const string TaskForce = "taskforce";

    public static readonly IReadOnlyList<string> All = [EarlyAdopters, Operations, Broadcast, Security, Pilot];

    public static bool IsPerStack(string purpose) => purpose is EarlyAdopters or Pilot or TaskForce;

    /// <summary>Every purpose a notice can be addressed to: those of <c>/channel</c> and the task-force rooms.</summary>
    public static string? FindRoutable(string? typed) =>
        string.Equals(typed?.Trim(), TaskForce, StringComparison.OrdinalIgnoreCase) ? TaskForce : Find(typed);

    public static string? Find(string? typed) =>
        All.FirstOrDefault(p => string.Equals(p, typed?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Label(string purpose, string stack) =>
        stack.Length == 0 ? purpose : purpose == Pilot ? $"pilot {stack.ToUpperInvariant()}" : $"{purpose} stack={stack}";
}
