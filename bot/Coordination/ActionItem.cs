using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>One action of an action list: who does what by when, from which meeting or task force.</summary>
public sealed class ActionItem
{
    public long Id { get; set; }
    public required string Text { get; set; }
    public required string OwnerId { get; set; }
    public DateOnly Due { get; set; }
    public long? MeetingId { get; set; }
    public long? TaskForceId { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? DoneBy { get; set; }
    public string? DoneNote { get; set; }

    public string Number => $"A{Id}";
    public string Subject => $"action:{Id}";
    public bool IsOpen => DoneAt is null;

    /// <summary>Overdue once the due date has passed in the owner's own calendar.</summary>
    public bool IsOverdue(WorkingCalendar owner, DateTimeOffset now) => IsOpen && owner.ToLocal(now).Date > LocalDate.FromDateOnly(Due);

    internal static void Map(ModelBuilder model) => model.Entity<ActionItem>(e =>
    {
        e.ToTable("action_items");
        e.HasKey(a => a.Id);
        e.Ignore(a => a.Number);
        e.Ignore(a => a.Subject);
        e.Ignore(a => a.IsOpen);
    });
}

/// <summary>Whose working calendar an action runs on: a site admin's site (its zone and holidays), else the coordinators'.</summary>
public static class OwnerCalendars
{
    public static async Task<WorkingCalendar> ForAsync(RolloutDb db, WorkingCalendars calendars, string userId, CancellationToken ct)
    {
        var site = await db.SiteAdmins.AsNoTracking().Where(a => a.UserId == userId && a.RemovedAt == null)
            .OrderBy(a => a.SiteId).Select(a => (long?)a.SiteId).FirstOrDefaultAsync(ct);
        return site is { } id ? await calendars.ForSiteAsync(db, id, ct) : await calendars.ForChannelAsync(db, ct);
    }
}
