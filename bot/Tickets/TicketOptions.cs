using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Tickets;

/// <summary>Configuration section <c>Rollout</c>: the middleware stacks a release may belong to.</summary>
public sealed class TicketOptions
{
    public const string Section = "Rollout";

    public static readonly IReadOnlyList<string> DefaultStacks = ["arc", "glite", "globus", "unicore", "opstools", "community"];

    /// <summary>
    /// Empty in configuration means the defaults. Not pre-filled here: the binder appends configured items to
    /// a pre-filled list, so configuring two stacks would silently give eight.
    /// </summary>
    public List<string> Stacks { get; set; } = [];

    /// <summary>How many times a ticket command is re-run when another write to the same ticket got in first.</summary>
    [Range(1, 50)]
    public int ConcurrencyAttempts { get; set; } = 5;

    public IReadOnlyList<string> EffectiveStacks => Stacks.Count == 0 ? DefaultStacks : Stacks;

    public string? FindStack(string? typed) =>
        EffectiveStacks.FirstOrDefault(s => string.Equals(s, typed?.Trim(), StringComparison.OrdinalIgnoreCase));
}
