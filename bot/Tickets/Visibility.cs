using System.Linq.Expressions;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The one rule of who may see a restricted release (seed 002 §2.4, security restrictions): a security release is
/// restricted until a coordinator discloses it; until then only coordinators, the technology unit, the security group,
/// its provider and the admins of sites committed to its component may learn it exists, and the repository managers
/// while it waits for them: its packages to pull (certified), or to move to production (closed with success or warning,
/// no production repository recorded yet). Every surface uses this: commands, cards, notices, metrics, the status
/// page, the feed, the calendar and the bulletins.
/// </summary>
public static class Visibility
{
    /// <summary>What anonymous readers and shared channels may see: not restricted, or disclosed. Translates to SQL.</summary>
    public static readonly Expression<Func<Ticket, bool>> Public = t => t.SecurityAdvisoryUrl == null || t.DisclosedAt != null;

    /// <summary>The opposite of <see cref="Public"/>: embargoed security releases.</summary>
    public static readonly Expression<Func<Ticket, bool>> Restricted = t => t.SecurityAdvisoryUrl != null && t.DisclosedAt == null;

    /// <summary>The same as <see cref="Public"/> for the two columns as read in plain SQL.</summary>
    public const string PublicSql = "(t.security_advisory_url IS NULL OR t.disclosed_at IS NOT NULL)";

    /// <summary>The same as <see cref="Restricted"/> in plain SQL, spelt as partial index <c>ix_tickets_restricted</c> (0056) is.</summary>
    public const string RestrictedSql = "(t.security_advisory_url IS NOT NULL AND t.disclosed_at IS NULL)";

    public static bool SeesAllRestricted(Caller caller) =>
        caller.IsCoordinator || caller.Has(Role.TechnologyUnit) || caller.Has(Role.Security);

    /// <summary>The tickets <paramref name="caller"/> may see. Translates to SQL.</summary>
    public static Expression<Func<Ticket, bool>> For(Caller caller)
    {
        if (SeesAllRestricted(caller)) return _ => true;
        var userId = caller.UserId;
        var components = caller.CommittedComponents.ToList();
        var repository = caller.Has(Role.Repository);
        return t => t.SecurityAdvisoryUrl == null || t.DisclosedAt != null || t.ProviderId == userId || components.Contains(t.Component.ToLower())
            || repository && (t.State == TicketState.Certified || t.State == TicketState.Closed && t.ProductionRepositoryUrl == null
                && (t.Outcome == Outcome.Success || t.Outcome == Outcome.Warning));
    }

    /// <summary>
    /// The same rule for a ticket already read (who a notice about it may go to): <see cref="For"/> itself, interpreted.
    /// Each call has its own caller, so a compiled delegate would be emitted and JIT-compiled once per person told.
    /// </summary>
    public static bool MaySee(Caller caller, Ticket ticket) => !ticket.IsRestricted || For(caller).Compile(preferInterpretation: true)(ticket);

    /// <summary>
    /// The same rule for a metrics row, which carries no state: the repository managers' sight of the tickets waiting
    /// for them is not extended to statistics, where a restricted release stays "(restricted)" for them.
    /// </summary>
    public static bool MaySee(Caller? caller, bool restricted, string component, string providerId) =>
        !restricted || caller is not null && (SeesAllRestricted(caller) || providerId == caller.UserId
            || caller.CommittedComponents.Contains(component.ToLowerInvariant()));
}
