using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Ticket settings in the <c>Rollout</c> section, next to the stacks and components of
/// <see cref="EarlyAdopters.RolloutOptions"/>, which tickets use for their stack names.
/// </summary>
public sealed class TicketOptions
{
    public const string Section = "Rollout";

    /// <summary>How many times a ticket command is re-run when another write to the same ticket got in first.</summary>
    [Range(1, 50)]
    public int ConcurrencyAttempts { get; set; } = 5;
}
