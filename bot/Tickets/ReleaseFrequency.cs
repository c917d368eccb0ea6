using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Seed 002 §2.2, per component: a revision release at most once every two weeks, a minor one at most once a month, a
/// major one at most once a year; emergencies come when needed. <c>/release new</c> warns and records it (the agreement
/// is between EGI and the provider, so it is the coordinators' call), and opens the ticket anyway. Only public releases
/// are compared, so the warning never reveals an embargoed one; a rejected or cancelled release does not count.
/// </summary>
public static class ReleaseFrequency
{
    public static (string Rule, DateTimeOffset Since)? Window(ReleaseType type, DateTimeOffset now) => type switch
    {
        ReleaseType.Revision => ("a revision release at most once every two weeks", now.AddDays(-14)),
        ReleaseType.Minor => ("a minor release at most once a month", now.AddMonths(-1)),
        ReleaseType.Major => ("a major release at most once a year", now.AddYears(-1)),
        _ => null,
    };

    /// <summary>The warning for a new <paramref name="type"/> release of <paramref name="component"/>, or null when it keeps to the rule.</summary>
    public static async Task<FrequencyExceeded?> CheckAsync(RolloutDb db, string component, ReleaseType type, DateTimeOffset now, CancellationToken ct)
    {
        if (Window(type, now) is not var (rule, since)) return null;
        var name = component.ToLower();
        var previous = await db.Tickets.AsNoTracking().Where(Visibility.Public)
            .Where(t => t.Component.ToLower() == name && t.Type == type && t.CreatedAt >= since && t.State != TicketState.Rejected && t.State != TicketState.Cancelled)
            .OrderByDescending(t => t.Id).Select(t => new { t.Id, t.CreatedAt }).FirstOrDefaultAsync(ct);
        return previous is null ? null : new FrequencyExceeded(type, rule, previous.Id, previous.CreatedAt);
    }
}
