using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/tickets</c> with filters (state, stack, component, site, version prefix, text, since/until) and pages: the tickets
/// the caller may see (<see cref="Visibility"/> first, so a search never finds a restricted ticket for someone else), newest first.
/// </summary>
public static class ListTickets
{
    public const int Limit = 50;
    public static readonly IReadOnlyList<string> Usage =
    [
        "/tickets [state=…] [stack=…] [mine] [page=N]",
        "/tickets [component=…] [site=…] [version=1.16] [text=\"…\"] [since=YYYY-MM-DD] [until=YYYY-MM-DD]",
    ];

    public static CommandDefinition Definition(RolloutOptions options) => new(
        "tickets", "Everyone", Usage, "list tickets (mine: opened by me or taken by my sites)", Writes: false, s => RunAsync(s, options));

    private static async Task<Reply> RunAsync(CommandSession s, RolloutOptions options)
    {
        var command = s.Command;
        var ct = s.Ct;
        if (TicketCommand.UnknownKeys(command, Usage, "state", "stack", "component", "site", "version", "text", "since", "until", "page") is { } unknown)
            return unknown;
        var extra = command.Positionals.Where(p => !p.Equals("mine", StringComparison.OrdinalIgnoreCase)).ToList();
        if (extra.Count > 0) return Reply.No($"I don't understand '{extra[0]}'. {TicketCommand.Usage(Usage)}");
        var mine = command.Positionals.Count > 0;

        var query = s.VisibleTickets();
        var filters = new List<string>();
        if (command.Get("state") is { } stateText)
        {
            if (!TicketNames.TryParse<TicketState>(stateText, out var state))
                return Reply.No($"Unknown state '{stateText}': use one of {TicketNames.Names<TicketState>()}. {TicketCommand.Usage(Usage)}");
            query = query.Where(t => t.State == state);
            filters.Add(state.ToName());
        }
        if (command.Get("stack") is { } stackText)
        {
            var stack = options.FindStack(stackText);
            if (stack is null)
                return Reply.No($"Unknown stack '{stackText}': use one of {options.StackList}. {TicketCommand.Usage(Usage)}");
            query = query.Where(t => t.Stack == stack);
            filters.Add(stack);
        }
        if (mine)
        {
            var userId = s.Caller.UserId;
            var sites = s.Caller.AdminOfSiteIds.ToList();
            query = query.Where(t => t.ProviderId == userId || t.Participations.Any(p => sites.Contains(p.SiteId)));
            filters.Add("mine");
        }

        var (searched, problem) = await TicketSearch.ApplyAsync(s, query, filters);
        if (problem is not null) return Reply.No($"{problem} {TicketCommand.Usage(Usage)}");
        query = searched!;
        var page = 1;
        if (command.Get("page") is { } pageText && (!int.TryParse(pageText, out page) || page < 1))
            return Reply.No($"`page={pageText}` is not a page number: give 1, 2, … {TicketCommand.Usage(Usage)}");

        var total = await query.CountAsync(ct);
        var pages = Math.Max(1, (total + Limit - 1) / Limit);
        var tickets = await query.OrderByDescending(t => t.Id).Skip((page - 1) * Limit).Take(Limit).ToListAsync(ct);
        var label = filters.Count == 0 ? "" : $" ({string.Join(", ", filters)})";
        if (total == 0) return $"No tickets{label}.";
        if (tickets.Count == 0) return Reply.No($"There are {pages} page(s) of tickets{label}; page {page} is past the end.");
        var text = new StringBuilder($"**Tickets{label}**: {total}" + (pages > 1 ? $", page {page} of {pages}" : "") + "\n");
        foreach (var t in tickets)
        {
            text.Append($"- {t.Number} {t.Component} {t.Version} · {t.Stack} · {t.Type.ToName()} · {t.State.ToName()}");
            if (t.Outcome is { } outcome) text.Append($" ({outcome.ToName()})");
            if (t.IsRestricted) text.Append(" · restricted");
            text.Append('\n');
        }
        if (page < pages) text.Append($"More: the same with `page={page + 1}`.\n");
        return text.ToString().TrimEnd();
    }
}
