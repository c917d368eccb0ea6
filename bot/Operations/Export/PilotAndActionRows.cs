using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Coordination;
using Rollout.Bot.Pilots;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations.Export;

/// <summary>The rows of <c>export pilots</c> (seed 001 pilot services) and <c>export actions</c> (seed 003 action lists), one per item.</summary>
public static class PilotAndActionRows
{
    public static readonly string[] PilotColumns = ["number", "title", "component", "version", "ticket", "category", "requester", "requester_kind",
        "state", "decision", "requested_by", "requested_by_name", "coordinator_id", "coordinator_name", "kick_off_at", "kick_off_zone",
        "started_at", "run_ends_at", "sites", "vos", "created_at", "updated_at"];

    public static readonly string[] ActionColumns = ["number", "text", "owner_id", "due", "state", "meeting", "task_force", "created_by",
        "created_at", "done_at", "done_by", "done_note"];

    public static async Task<IReadOnlyList<IDictionary<string, object?>>> PilotsAsync(RolloutDb db, CancellationToken ct)
    {
        var pilots = await db.Pilots.AsNoTracking().Include(p => p.Participants).OrderBy(p => p.Id).ToListAsync(ct);
        return pilots.Select(p => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["number"] = p.Id, ["title"] = p.Title, ["component"] = p.Component, ["version"] = p.Version, ["ticket"] = p.TicketId,
            ["category"] = p.Category.ToName(), ["requester"] = p.Requester, ["requester_kind"] = Names.Of(p.RequesterKind),
            ["state"] = p.State.ToKey(), ["decision"] = p.Decision is { } d ? Names.Of(d) : null, ["requested_by"] = p.RequestedBy,
            ["requested_by_name"] = p.RequestedByName, ["coordinator_id"] = p.CoordinatorId, ["coordinator_name"] = p.CoordinatorName,
            ["kick_off_at"] = p.KickOffAt, ["kick_off_zone"] = p.KickOffZone, ["started_at"] = p.StartedAt, ["run_ends_at"] = p.RunEndsAt,
            ["sites"] = Participants(p.Sites()), ["vos"] = Participants(p.Vos()), ["created_at"] = p.CreatedAt, ["updated_at"] = p.UpdatedAt,
        }).ToList();
    }

    public static async Task<IReadOnlyList<IDictionary<string, object?>>> ActionsAsync(RolloutDb db, CancellationToken ct)
    {
        var actions = await db.ActionItems.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var meetings = await db.Meetings.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.Name, ct);
        var taskForces = await db.TaskForces.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return actions.Select(a => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["number"] = a.Id, ["text"] = a.Text, ["owner_id"] = a.OwnerId, ["due"] = a.Due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["state"] = a.IsOpen ? "open" : "done", ["meeting"] = a.MeetingId is { } m ? meetings.GetValueOrDefault(m) : null,
            ["task_force"] = a.TaskForceId is { } t ? taskForces.GetValueOrDefault(t) : null, ["created_by"] = a.CreatedBy,
            ["created_at"] = a.CreatedAt, ["done_at"] = a.DoneAt, ["done_by"] = a.DoneBy, ["done_note"] = a.DoneNote,
        }).ToList();
    }

    /// <summary>"Alpha: accepted; Beta: invited", in the order they were invited.</summary>
    private static string? Participants(IEnumerable<PilotParticipant> who)
    {
        var list = who.OrderBy(p => p.InvitedAt).ThenBy(p => p.Id).Select(p => $"{p.Name}: {p.State.ToString().ToLowerInvariant()}").ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }
}
