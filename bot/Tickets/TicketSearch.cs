using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>The search filters of <c>/tickets</c>, applied to a query that is already limited to what the caller may see.</summary>
public static class TicketSearch
{
    public static async Task<(IQueryable<Ticket>? Query, string? Problem)> ApplyAsync(CommandSession s, IQueryable<Ticket> query, List<string> filters)
    {
        var command = s.Command;
        if (command.Get("component") is { } component)
        {
            var lower = component.Trim().ToLowerInvariant();
            query = query.Where(t => t.Component.ToLower() == lower);
            filters.Add("component " + component);
        }
        if (command.Get("site") is { } siteName)
        {
            if (await Sites.FindAsync(s.Db, siteName, s.Ct) is not { } site) return (null, $"I know no site named **{siteName}**. `/sites` lists them.");
            query = query.Where(t => t.Participations.Any(p => p.SiteId == site.Id));
            filters.Add("site " + site.Name);
        }
        if (command.Get("version") is { } version)
        {
            // A prefix: version=1.16 finds 1.16.0 and 1.16.4.
            query = query.Where(t => t.Version.StartsWith(version.Trim()));
            filters.Add("version " + version + "*");
        }
        if (command.Get("text") is { } text)
        {
            var lower = text.Trim().ToLowerInvariant();
            if (lower.Length < 2) return (null, "`text=` needs at least two characters to look for.");
            query = query.Where(t => t.Component.ToLower().Contains(lower) || t.Version.ToLower().Contains(lower)
                || (t.Summary != null && t.Summary.ToLower().Contains(lower)) || t.ProviderName.ToLower().Contains(lower));
            filters.Add($"\"{text}\"");
        }
        var (since, sinceProblem) = Day(command.Get("since"), "since");
        var (until, untilProblem) = Day(command.Get("until"), "until");
        if ((sinceProblem ?? untilProblem) is { } problem) return (null, problem);
        if (since is { } from)
        {
            query = query.Where(t => t.CreatedAt >= from);
            filters.Add($"since {from:yyyy-MM-dd}");
        }
        if (until is { } to)
        {
            var end = to.AddDays(1); // the whole day named
            query = query.Where(t => t.CreatedAt < end);
            filters.Add($"until {to:yyyy-MM-dd}");
        }
        if (since is { } a && until is { } b && a > b) return (null, $"`since={a:yyyy-MM-dd}` is after `until={b:yyyy-MM-dd}`.");
        return (query, null);
    }

    private static (DateTimeOffset? Day, string? Problem) Day(string? text, string key)
    {
        if (text is null) return (null, null);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? (new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), null)
            : (null, $"`{key}={text}` is not a date: write it as YYYY-MM-DD, e.g. `{key}=2026-03-01`.");
    }
}
