using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>The task forces as chat, the bulletin and the status page show them: priority order, age, lead, members, status.</summary>
public sealed class TaskForceList
{
    public async Task<List<TaskForce>> LiveAsync(RolloutDb db, CancellationToken ct, bool tracked = false)
    {
        var query = db.TaskForces.Include(t => t.Members).Where(t => t.DissolvedAt == null);
        if (!tracked) query = query.AsNoTracking();
        // Unprioritised ones come after the prioritised, oldest first.
        return (await query.ToListAsync(ct)).OrderBy(t => t.Priority ?? int.MaxValue).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id).ToList();
    }

    public static string Age(TaskForce t, DateTimeOffset now)
    {
        var days = (int)((t.DissolvedAt ?? now) - t.CreatedAt).TotalDays;
        return days >= 14 ? $"{days / 7} weeks" : $"{days} day(s)";
    }

    private static int Members(TaskForce t) => t.Members.Count(m => m.LeftAt == null);

    public static string Line(TaskForce t, DateTimeOffset now) =>
        $"{(t.Priority is { } p ? $"{p}. " : "")}{t.Name} — lead {t.LeadId}, {Members(t)} member(s), {Age(t, now)} old" +
        (t.Until is { } u ? (DateOnly.FromDateTime(now.UtcDateTime) > u ? $", was due to end {u:yyyy-MM-dd}" : $", until {u:yyyy-MM-dd}") : "") +
        $"; status: {t.Status ?? "none yet"}";

    public string Chat(IReadOnlyList<TaskForce> forces, DateTimeOffset now)
    {
        if (forces.Count == 0) return "No task forces. Coordinators create them at the quarterly planning with `/taskforce create`.";
        var text = new StringBuilder($"**Task forces** ({forces.Count}, in priority order)\n");
        foreach (var t in forces) text.Append("- ").Append(Line(t, now)).Append('\n');
        return text.ToString();
    }

    public string Show(TaskForce t, DateTimeOffset now) =>
        $"**{t.Name}** task force: {t.Mandate}\nLead {t.LeadId}; created {t.CreatedAt:yyyy-MM-dd}, {Age(t, now)} old" +
        (t.Until is { } u ? $", until {u:yyyy-MM-dd}" : "") + (t.Priority is { } p ? $"; priority {p}" : "") +
        $"\nMembers: {string.Join(", ", t.Members.Where(m => m.LeftAt == null).Select(m => m.Name))}\nStatus: {t.Status ?? "none yet"}";

    /// <summary>
    /// The bulletin's section: every bulletin lists the task forces; the quarterly planning's, which creates and dissolves
    /// them (seed 003), also gives each mandate and the ones dissolved since its previous bulletin.
    /// </summary>
    public async Task<string?> BulletinAsync(Bulletins.BulletinContext c)
    {
        var forces = await LiveAsync(c.Db, c.Ct);
        var planning = c.Occurrence.Meeting.Recurs == Recurrence.Quarterly;
        var restricted = await Status.PublicText.RestrictedAmongAsync(c.Db, forces.Select(f => f.Status).Concat(forces.Select(f => f.Mandate)), c.Ct);
        var text = new StringBuilder("\n");
        text.Append(forces.Count == 0 ? "No task forces.\n" : $"**Task forces** ({forces.Count}, in priority order):\n");
        foreach (var t in forces)
        {
            text.Append("- ").Append(Status.PublicText.Scrub(Line(t, c.Now), restricted)).Append('\n');
            if (planning) text.Append("  Mandate: ").Append(Status.PublicText.Scrub(t.Mandate, restricted)).Append('\n');
        }
        if (planning)
        {
            var since = c.Since;
            var dissolved = await c.Db.TaskForces.AsNoTracking().Where(t => t.DissolvedAt > since).OrderBy(t => t.DissolvedAt).ToListAsync(c.Ct);
            if (dissolved.Count > 0) text.Append("Dissolved since the previous planning:\n");
            foreach (var t in dissolved) text.Append("- ").Append(t.Name).Append(", after ").Append(Age(t, c.Now)).Append(": ").Append(t.ClosingNote).Append('\n');
        }
        return text.ToString();
    }

    public async Task<string?> StatusAsync(Status.StatusContext c)
    {
        var forces = await LiveAsync(c.Db, c.Ct);
        var html = new StringBuilder($"<h2>Task forces ({forces.Count})</h2>");
        if (forces.Count == 0) return html.Append("<p>None.</p>").ToString();
        var restricted = await Status.PublicText.RestrictedAmongAsync(c.Db, forces.Select(f => f.Status).Concat(forces.Select(f => f.Mandate)), c.Ct);
        string E(string? s) => WebUtility.HtmlEncode(Status.PublicText.Scrub(s ?? "", restricted));
        html.Append("<table><tr><th>Priority</th><th>Task force</th><th>Mandate</th><th>Lead</th><th>Members</th><th>Age</th><th>Until</th><th>Status</th></tr>");
        foreach (var t in forces)
            html.Append($"<tr><td>{(t.Priority is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "–")}</td><td>{E(t.Name)}</td><td>{E(t.Mandate)}</td>")
                .Append($"<td>{E(t.LeadId)}</td><td>{Members(t)}</td><td>{E(Age(t, c.Now))}</td><td>{E(t.Until?.ToString("yyyy-MM-dd") ?? "–")}</td><td>{E(t.Status ?? "–")}</td></tr>");
        return html.Append("</table>").ToString();
    }
}
