using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Tickets;

/// <summary><c>/tickets [state=…] [stack=…] [mine]</c>: the tickets the caller may see, newest first.</summary>
public static class ListTickets
{
    public const int Limit = 50;
    public static readonly IReadOnlyList<string> Usage = ["/tickets [state=…] [stack=…] [mine]"];

    public static CommandDefinition Definition(RolloutOptions options) => new(
        "tickets", "Everyone", Usage, "list tickets (mine: opened by me or taken by my sites)", Writes: false, s => RunAsync(s, options));

    private static async Task<Reply> RunAsync(CommandSession s, RolloutOptions options)
    {
        var command = s.Command;
        var ct = s.Ct;
        if (TicketCommand.UnknownKeys(command, Usage, "state", "stack") is { } unknown) return unknown;
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

        var total = await query.CountAsync(ct);
        var tickets = await query.OrderByDescending(t => t.Id).Take(Limit).ToListAsync(ct);
        var label = filters.Count == 0 ? "" : $" ({string.Join(", ", filters)})";
        if (tickets.Count == 0) return $"No tickets{label}.";
        var text = new StringBuilder($"**Tickets{label}**: {total}" + (total > Limit ? $", newest {Limit} shown" : "") + "\n");
        foreach (var t in tickets)
        {
            text.Append($"- {t.Number} {t.Component} {t.Version} · {t.Stack} · {t.Type.ToName()} · {t.State.ToName()}");
            if (t.Outcome is { } outcome) text.Append($" ({outcome.ToName()})");
            if (t.IsRestricted) text.Append(" · restricted");
            text.Append('\n');
        }
        return text.ToString().TrimEnd();
    }
}
