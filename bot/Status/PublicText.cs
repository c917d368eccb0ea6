using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Status;

/// <summary>
/// Free text shown on public pages (bulletins) is written for a channel, not for the world: e-mail addresses are
/// hidden, and a restricted release mentioned by number becomes "#(restricted)".
/// </summary>
public static partial class PublicText
{
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"#(\d+)")]
    private static partial Regex TicketPattern();

    public static string Scrub(string text, IReadOnlySet<long> restricted)
    {
        var noMail = EmailPattern().Replace(text, "(e-mail hidden)");
        return TicketPattern().Replace(noMail, m => long.TryParse(m.Groups[1].Value, out var id) && restricted.Contains(id) ? "#(restricted)" : m.Value);
    }

    public static IEnumerable<long> TicketNumbers(string text) =>
        TicketPattern().Matches(text).Select(m => long.TryParse(m.Groups[1].Value, out var id) ? id : 0).Where(id => id > 0).Distinct();

    /// <summary>Which of the ticket numbers mentioned in <paramref name="texts"/> are restricted releases.</summary>
    public static async Task<IReadOnlySet<long>> RestrictedAmongAsync(RolloutDb db, IEnumerable<string?> texts, CancellationToken ct = default)
    {
        var ids = texts.Where(t => t is not null).SelectMany(t => TicketNumbers(t!)).Distinct().ToList();
        if (ids.Count == 0) return new HashSet<long>();
        var restricted = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).Where(Visibility.Restricted).Select(t => t.Id).ToListAsync(ct);
        return restricted.ToHashSet();
    }
}
