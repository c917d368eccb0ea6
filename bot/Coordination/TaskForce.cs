using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>A short-term task force (seed 003): a mandate, a lead, an end date, members who sign up, a status line.</summary>
public sealed class TaskForce
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string NameKey { get; set; }
    public required string Mandate { get; set; }
    public required string LeadId { get; set; }
    public DateOnly? Until { get; set; }
    public string? Status { get; set; }
    public DateTimeOffset? StatusAt { get; set; }
    /// <summary>The coordinators' prioritisation order: 1 first; null until they set it.</summary>
    public int? Priority { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DissolvedAt { get; set; }
    public string? ClosingNote { get; set; }
    public List<TaskForceMember> Members { get; set; } = [];

    public string Subject => $"taskforce:{Id}";

    internal static void Map(ModelBuilder model)
    {
        model.Entity<TaskForce>(e =>
        {
            e.ToTable("task_forces");
            e.HasKey(t => t.Id);
            e.Ignore(t => t.Subject);
            e.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TaskForceId);
        });
        model.Entity<TaskForceMember>(e =>
        {
            e.ToTable("task_force_members");
            e.HasKey(m => m.Id);
        });
    }
}

public sealed class TaskForceMember
{
    public long Id { get; set; }
    public long TaskForceId { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
}

public static class TaskForceNames
{
    public static async Task<Dictionary<long, string>> OfAsync(RolloutDb db, IReadOnlyList<long> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await db.TaskForces.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);

    /// <summary>The live task force of that name (case-insensitive), or null.</summary>
    public static Task<long?> IdAsync(RolloutDb db, string name, CancellationToken ct)
    {
        var key = StoredMeeting.Key(name);
        return db.TaskForces.AsNoTracking().Where(t => t.NameKey == key && t.DissolvedAt == null).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
    }
}
