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
    public static async Task<string> BuildAsync(RolloutDb db, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var text = new StringBuilder();
        var moved = await MovesAsync(db, since, now, ct);
        var movedOpen = moved.Where(m => !m.Ticket.IsRestricted).ToList();
        text.Append(movedOpen.Count == 0 ? "\nNo release moved since the previous bulletin.\n" : "\nMoved since the previous bulletin:\n");
        foreach (var m in movedOpen)
        {
            var outcome = m.To == TicketState.Closed && m.Ticket.Outcome is { } o ? $" ({o.ToName()})" : "";
            text.Append($"- {Name(m.Ticket)}: {m.To.ToName()}{outcome}\n");
        }

        var open = TicketStates.Open;
        var progress = await db.Tickets.AsNoTracking().Include(t => t.Participations).Where(t => open.Contains(t.State))
            .OrderBy(t => t.Id).ToListAsync(ct);
        var ids = progress.Select(t => t.Id).ToList();
        var missedKind = TicketChange.KindOf<TargetMissed>();
        var missed = (await db.TicketHistory.AsNoTracking().Where(h => h.Kind == missedKind && ids.Contains(h.TicketId)).ToListAsync(ct))
            .ToLookup(h => h.TicketId, h => ((TargetMissed)h.Change).Step);
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

        var restricted = progress.Count(t => t.IsRestricted) + moved.Where(m => m.Ticket.IsRestricted && !open.Contains(m.Ticket.State))
            .Select(m => m.Ticket.Id).Distinct().Count();
        if (restricted > 0) text.Append($"Restricted tickets in progress or moved: {restricted} (not described here).\n");

        var vacancies = await ComponentCatalogue.VacanciesAsync(db, ct);
        text.Append(vacancies.Count == 0 ? "Every component has a committed site.\n" : "Components with no committed site (call for partners):\n");
        foreach (var c in vacancies) text.Append($"- {c.Name} ({c.Stack})\n");
        return text.ToString();
    }

    private sealed record Move(DateTimeOffset At, TicketState To, Ticket Ticket);

    /// <summary>
    /// The state moves in (since, now], read from the first instants the step-times reaction keeps per ticket (each
    /// state is entered at most once), one indexed range read per state.
    /// </summary>
    private static async Task<List<Move>> MovesAsync(RolloutDb db, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var steps = db.TicketStepTimes.AsNoTracking();
        var rows = new List<(long TicketId, DateTimeOffset At, TicketState To)>();
        rows.AddRange((await steps.Where(s => s.VerifiedAt > since && s.VerifiedAt <= now).Select(s => new { s.TicketId, At = s.VerifiedAt!.Value }).ToListAsync(ct))
            .Select(r => (r.TicketId, r.At, TicketState.Verified)));
        rows.AddRange((await steps.Where(s => s.RollingOutAt > since && s.RollingOutAt <= now).Select(s => new { s.TicketId, At = s.RollingOutAt!.Value }).ToListAsync(ct))
            .Select(r => (r.TicketId, r.At, TicketState.RollingOut)));
        rows.AddRange((await steps.Where(s => s.ClosedAt > since && s.ClosedAt <= now).Select(s => new { s.TicketId, At = s.ClosedAt!.Value }).ToListAsync(ct))
            .Select(r => (r.TicketId, r.At, TicketState.Closed)));
        rows.AddRange((await steps.Where(s => s.RejectedAt > since && s.RejectedAt <= now).Select(s => new { s.TicketId, At = s.RejectedAt!.Value }).ToListAsync(ct))
            .Select(r => (r.TicketId, r.At, TicketState.Rejected)));
        var ids = rows.Select(r => r.TicketId).Distinct().ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        return rows.Select(r => new Move(r.At, r.To, tickets[r.TicketId])).OrderBy(m => m.At).ThenBy(m => m.To).ToList();
    }

    private static string Name(Ticket t) => $"{t.Number} {t.Component} {t.Version} ({t.Type.ToName()})";
}
