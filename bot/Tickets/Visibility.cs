using System.Linq.Expressions;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The one rule of who may see a restricted release (seed 002 §2.4, security restrictions): a security release is
/// restricted until a coordinator discloses it; until then only coordinators, the technology unit, the security group,
/// its provider and the admins of sites committed to its component may learn it exists. Every surface uses this:
/// commands, cards, notices, metrics, the status page, the feed, the calendar and the bulletins.
/// </summary>
public static class Visibility
{
    /// <summary>What anonymous readers and shared channels may see: not restricted, or disclosed. Translates to SQL.</summary>
    public static readonly Expression<Func<Ticket, bool>> Public = t => t.SecurityAdvisoryUrl == null || t.DisclosedAt != null;

    /// <summary>The opposite of <see cref="Public"/>: embargoed security releases.</summary>
    public static readonly Expression<Func<Ticket, bool>> Restricted = t => t.SecurityAdvisoryUrl != null && t.DisclosedAt == null;

    /// <summary>The same as <see cref="Public"/> for the two columns as read in plain SQL.</summary>
    public const string PublicSql = "(t.security_advisory_url IS NULL OR t.disclosed_at IS NOT NULL)";

    public static bool SeesAllRestricted(Caller caller) =>
        caller.IsCoordinator || caller.Has(Role.TechnologyUnit) || caller.Has(Role.Security);

    /// <summary>The tickets <paramref name="caller"/> may see. Translates to SQL.</summary>
    public static Expression<Func<Ticket, bool>> For(Caller caller)
    {
        if (SeesAllRestricted(caller)) return _ => true;
        var userId = caller.UserId;
        var components = caller.CommittedComponents.ToList();
        return t => t.SecurityAdvisoryUrl == null || t.DisclosedAt != null || t.ProviderId == userId || components.Contains(t.Component.ToLower());
    }

    /// <summary>The same rule for a ticket already read (a metrics row, say).</summary>
    public static bool MaySee(Caller? caller, bool restricted, string component, string providerId) =>
        !restricted || caller is not null && (SeesAllRestricted(caller) || providerId == caller.UserId
            || caller.CommittedComponents.Contains(component.ToLowerInvariant()));
}
