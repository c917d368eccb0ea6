using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Bulletins;

/// <summary>
/// The tickets part of a bulletin (seed 000), written to be read: one line per release with its latest state, its age
/// and the step it waits in (or how it ended, when it finished since the previous bulletin); the warning and reject
/// summaries of the period; what waits for a site; the components nobody is committed to. The bulletin goes to a
/// channel, so restricted tickets are counted, once each, and never described. Each heading and each list is a
/// paragraph of its own, so that no list runs into the sentence after it.
/// </summary>
public static class TicketDigest
{
    public static async Task<string> BuildAsync(RolloutDb db, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        var text = new StringBuilder();
        var moved = await MovesAsync(db, since, now, ct);
        var open = TicketStates.Open;
        var progress = await db.Tickets.AsNoTracking().Include(t => t.Participations).Where(t => open.Contains(t.State))
            .OrderBy(t => t.Id).ToListAsync(ct);
        var ids = progress.Select(t => t.Id).ToList();
        var missedKind = TicketChange.KindOf<TargetMissed>();
        var missed = (await db.TicketHistory.AsNoTracking().Where(h => h.Kind == missedKind && ids.Contains(h.TicketId)).ToListAsync(ct))
            .ToLookup(h => h.TicketId, h => ((TargetMissed)h.Change).Step);

        // One line per ticket: the open ones as they stand, and those that finished in the period as they ended.
        var finished = moved.Where(m => !m.Ticket.State.IsOpen()).GroupBy(m => m.Ticket.Id).Select(g => g.Last().Ticket).ToList();
        var described = progress.Concat(finished).Where(t => !t.IsRestricted).OrderBy(t => t.Id).ToList();
        var movedIds = moved.Select(m => m.Ticket.Id).ToHashSet();
        text.Append($"\n**Releases**: {progress.Count(t => !t.IsRestricted)} in progress, {movedIds.Count(id => described.Any(t => t.Id == id))} moved since the previous bulletin.\n\n");
        if (described.Count == 0) text.Append("No release in progress or moved.\n");
        foreach (var t in described) text.Append("- ").Append(Line(t, now, missed[t.Id].ToList(), movedIds.Contains(t.Id))).Append('\n');

        var outcomes = await OutcomesAsync(db, since, now, ct);
        if (outcomes.Count > 0)
        {
            text.Append("\n**Warnings and rejects** since the previous bulletin:\n\n");
            foreach (var o in outcomes) text.Append("- ").Append(o).Append('\n');
        }

        var waiting = progress.Where(t => !t.IsRestricted && t.State == TicketState.Verified && t.Participations.Count == 0).ToList();
        text.Append(waiting.Count == 0 ? "\nNo release waits for acceptance.\n" : "\n**Waiting for a site to accept**:\n\n");
        foreach (var t in waiting) text.Append($"- {Name(t)}\n");

        var restricted = progress.Where(t => t.IsRestricted).Select(t => t.Id).Concat(moved.Where(m => m.Ticket.IsRestricted).Select(m => m.Ticket.Id))
            .Distinct().Count();
        if (restricted > 0)
            text.Append($"\nRestricted (security) releases in progress or moved: {restricted} (not described here).\n");

        var vacancies = await ComponentCatalogue.VacanciesAsync(db, ct);
        text.Append(vacancies.Count == 0 ? "\nEvery component has a committed site.\n" : "\n**Vacancies**: components with no committed site (call for partners):\n\n");
        foreach (var c in vacancies) text.Append($"- {c.Name} ({c.Stack})\n");
        return text.ToString();
    }

    private static string Line(Ticket t, DateTimeOffset now, IReadOnlyList<string> missed, bool moved)
    {
        var state = t.State == TicketState.Closed && t.Outcome is { } o ? $"closed ({o.ToName()})" : t.State.ToName();
        var line = $"{Name(t)}: {state}, {Age(now - t.CreatedAt)} old";
        if (t.State.IsOpen()) line += $" — {WaitsIn(t)}";
        if (missed.Count > 0) line += $"; missed target: {string.Join(", ", missed)}";
        return moved && t.State.IsOpen() ? line + " (moved)" : line;
    }

    /// <summary>The step a ticket waits in, and for whom (seed 002 §2.4).</summary>
    public static string WaitsIn(Ticket t) => t.State switch
    {
        TicketState.Certified => "waits in step 1: the repository managers pull the packages",
        TicketState.Unverified => "waits in step 2: the technology unit verifies it",
        TicketState.Verified => "waits in step 3: a site to accept it",
        TicketState.RollingOut when t.IsReadyToClose => "waits for a coordinator to close it (every site reported)",
        TicketState.RollingOut when t.HasNoPartner => "waits for a coordinator: every site withdrew",
        TicketState.RollingOut => "waits in step 3: reports from " +
            string.Join(", ", t.Participations.Where(p => p.IsOpen).Select(p => p.SiteName).Order(StringComparer.OrdinalIgnoreCase).Select(E)),
        _ => "",
    };

    public static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{((int)age.TotalDays).ToString(CultureInfo.InvariantCulture)} day(s)" : $"{((int)age.TotalHours).ToString(CultureInfo.InvariantCulture)} h";

    /// <summary>The warning and reject reports of sites and closings in (since, now], public tickets only, with their words.</summary>
    private static async Task<List<string>> OutcomesAsync(RolloutDb db, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        string[] kinds = [TicketChange.KindOf<SiteReported>(), TicketChange.KindOf<OutcomeSet>()];
        var rows = await db.TicketHistory.AsNoTracking().Where(h => kinds.Contains(h.Kind) && h.At > since && h.At <= now)
            .Join(db.Tickets.Where(Visibility.Public), h => h.TicketId, t => t.Id, (h, t) => new { h, t }).OrderBy(x => x.h.At).ToListAsync(ct);
        var lines = new List<string>();
        foreach (var r in rows)
        {
            switch (r.h.Change)
            {
                case SiteReported { Outcome: not Outcome.Success } s:
                    lines.Add($"{Name(r.t)}: {E(s.Site)} reported {s.Outcome.ToName()}: {E(s.Notes)}");
                    break;
                case OutcomeSet { Outcome: not Outcome.Success } o:
                    lines.Add($"{Name(r.t)}: closed with {o.Outcome.ToName()}: {E(o.Summary)}");
                    break;
            }
        }
        var restricted = await Status.PublicText.RestrictedAmongAsync(db, lines, ct);
        return lines.Select(l => Status.PublicText.Scrub(l, restricted)).ToList();
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

    private static string Name(Ticket t) => $"{t.Number} {E(t.Component)} {E(t.Version)} ({t.Type.ToName()})";

    /// <summary>Names, versions and reports were typed by people: inert in the operations room's bulletin (12.12).</summary>
    private static string E(string? text) => Cards.CardText.Escape(text);
}
