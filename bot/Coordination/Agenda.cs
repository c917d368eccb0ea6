using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>One item on the agenda of one occurrence of a meeting.</summary>
public sealed class AgendaItem
{
    public long Id { get; set; }
    public long MeetingId { get; set; }
    public DateOnly Date { get; set; }
    public int Position { get; set; }
    public required string Text { get; set; }
    public required string AddedBy { get; set; }
    public required string AddedByName { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? DroppedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<AgendaItem>(e =>
    {
        e.ToTable("agenda_items");
        e.HasKey(a => a.Id);
    });

    /// <summary>The items still on the agenda, in the chair's order.</summary>
    public static Task<List<AgendaItem>> OfAsync(RolloutDb db, long meetingId, DateOnly date, CancellationToken ct) =>
        db.AgendaItems.Where(a => a.MeetingId == meetingId && a.Date == date && a.DroppedAt == null)
            .OrderBy(a => a.Position).ThenBy(a => a.Id).ToListAsync(ct);
}

/// <summary>The minutes of one occurrence; lines starting with "Decision:" are its decisions.</summary>
public sealed class MeetingMinutes
{
    public long Id { get; set; }
    public long MeetingId { get; set; }
    public DateOnly Date { get; set; }
    public DateTimeOffset MeetingAt { get; set; }
    public required string Text { get; set; }
    public required string RecordedBy { get; set; }
    public required string RecordedByName { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    public static bool IsDecision(string line) => line.TrimStart().StartsWith("decision:", StringComparison.OrdinalIgnoreCase);

    public static string DecisionText(string line) => line.TrimStart()["decision:".Length..].Trim();

    public IReadOnlyList<string> Decisions => Text.Split('\n').Where(IsDecision).Select(DecisionText).ToList();

    internal static void Map(ModelBuilder model) => model.Entity<MeetingMinutes>(e =>
    {
        e.ToTable("meeting_minutes");
        e.HasKey(m => m.Id);
        e.Ignore(m => m.Decisions);
    });
}
