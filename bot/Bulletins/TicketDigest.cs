using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Bulletins;

/// <summary>
/// The tickets part of a bulletin (seed 000): what moved since the previous bulletin, what is in progress with its age
/// and missed Table 3 targets, what waits for a site, and the components nobody is committed to. The bulletin goes to
/// a channel, so restricted tickets are counted and never described.
/// </summary>
public static class TicketDigest
{
    private static readonly string[] Moves = ["verified", "rolling-out", "closed", "rejected"];

    public static async Task<string> BuildAsync(RolloutDb db, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var text = new StringBuilder();
        var moved = await db.TicketHistory.AsNoTracking()
            .Where(h => h.What == "state" && h.At > since && h.At <= now && Moves.Contains(h.To!))
            .Join(db.Tickets, h => h.TicketId, t => t.Id, (h, t) => new { h.At, h.To, Ticket = t })
            .OrderBy(x => x.At).ToListAsync(ct);
        var movedOpen = moved.Where(m => !m.Ticket.IsRestricted).ToList();
        text.Append(movedOpen.Count == 0 ? "\nNo release moved since the previous bulletin.\n" : "\nMoved since the previous bulletin:\n");
        foreach (var m in movedOpen)
        {
            var outcome = m.To == "closed" && m.Ticket.Outcome is { } o ? $" ({o.ToName()})" : "";
            text.Append($"- {Name(m.Ticket)}: {m.To}{outcome}\n");
        }

        var open = new[] { TicketState.Certified, TicketState.Unverified, TicketState.Verified, TicketState.RollingOut };
        var progress = await db.Tickets.AsNoTracking().Include(t => t.Participations).Where(t => open.Contains(t.State))
            .OrderBy(t => t.Id).ToListAsync(ct);
        var ids = progress.Select(t => t.Id).ToList();
        var missed = (await db.TicketHistory.AsNoTracking().Where(h => h.What == "target-missed" && ids.Contains(h.TicketId))
            .Select(h => new { h.TicketId, h.To }).ToListAsync(ct)).ToLookup(h => h.TicketId, h => h.To);
        var described = progress.Where(t => !t.IsRestricted).ToList();
        text.Append(described.Count == 0 ? "No release in progress.\n" : "In progress:\n");
        foreach (var t in described)
        {
            var age = (int)(now - t.CreatedAt).TotalDays;
            var late = missed[t.Id].Any() ? $"; missed target: {string.Join(", ", missed[t.Id])}" : "";
            text.Append($"- {Name(t)}: {t.State.ToName()}, {age.ToString(CultureInfo.InvariantCulture)} day(s) old{late}\n");
        }

        var waiting = described.Where(t => t.State == TicketState.Verified && t.Participations.Count == 0).ToList();
        text.Append(waiting.Count == 0 ? "No ticket waits for acceptance.\n" : "Waiting for a site to accept:\n");
        foreach (var t in waiting) text.Append($"- {Name(t)}\n");

        var restricted = progress.Count(t => t.IsRestricted) + moved.Count(m => m.Ticket.IsRestricted && !open.Contains(m.Ticket.State));
        if (restricted > 0) text.Append($"Restricted tickets in progress or moved: {restricted} (not described here).\n");

        var vacancies = await ComponentCatalogue.VacanciesAsync(db, ct);
        text.Append(vacancies.Count == 0 ? "Every component has a committed site.\n" : "Components with no committed site (call for partners):\n");
        foreach (var c in vacancies) text.Append($"- {c.Name} ({c.Stack})\n");
        return text.ToString();
    }

    private static string Name(Ticket t) => $"{t.Number} {t.Component} {t.Version} ({t.Type.ToName()})";
}
