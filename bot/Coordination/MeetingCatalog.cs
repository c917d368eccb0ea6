using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>
/// The meetings, read from the database each time (coordinators change them in chat); those in configuration
/// (<c>Scheduling:Meetings</c>) are stored at start-up when no meeting of their name was ever stored, so a meeting a
/// coordinator removed does not come back at the next start.
/// </summary>
public sealed class MeetingCatalog(IOptions<SchedulingOptions> options, WorkingCalendars calendars)
{
    public IReadOnlyList<Meeting> Configured { get; } =
        options.Value.Meetings.Select(m => Meeting.From(m, calendars.CoordinatorZone)).ToList();

    public async Task<IReadOnlyList<Meeting>> AllAsync(RolloutDb db, CancellationToken ct = default)
    {
        var rows = await db.Meetings.AsNoTracking().Where(m => m.RemovedAt == null).OrderBy(m => m.Id).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var ids = rows.Select(r => r.Id).ToList();
        var occurrences = (await db.MeetingOccurrences.AsNoTracking().Where(o => ids.Contains(o.MeetingId)).ToListAsync(ct))
            .ToLookup(o => o.MeetingId);
        var holidays = (await calendars.ForChannelAsync(db, ct)).Holidays;
        return rows.Select(r => r.ToMeeting(occurrences[r.Id], holidays)).ToList();
    }

    public async Task<Meeting?> FindAsync(RolloutDb db, string name, CancellationToken ct = default)
    {
        var key = StoredMeeting.Key(name);
        return (await AllAsync(db, ct)).FirstOrDefault(m => StoredMeeting.Key(m.Name) == key);
    }

    /// <summary>
    /// Stores the configured meetings never stored before, each with its history entry, all in one transaction (the
    /// history names the meeting's id, so the meetings are saved first); returns how many were added.
    /// </summary>
    public async Task<int> SeedAsync(RolloutDb db, DateTimeOffset now, CancellationToken ct = default)
    {
        var known = (await db.Meetings.AsNoTracking().Select(m => m.NameKey).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var missing = Configured.Where(m => !known.Contains(StoredMeeting.Key(m.Name))).ToList();
        if (missing.Count == 0) return 0;
        using var writer = await db.WriterAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = missing.Select(m => (Meeting: m, Row: StoredMeeting.From(m, "configuration", now))).ToList();
        db.Meetings.AddRange(rows.Select(r => r.Row));
        await db.SaveChangesAsync(ct);
        foreach (var (meeting, row) in rows)
            CoordinationHistory.Record(db, $"meeting:{row.Id}", new MeetingAdded(row.Name, MeetingText.Schedule(meeting)), Actor.Bot, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }
}

public static class MeetingSeeding
{
    /// <summary>At start-up, after the migrations: the configured meetings that were never stored.</summary>
    public static async Task SeedMeetingsAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        try
        {
            await app.Services.GetRequiredService<MeetingCatalog>().SeedAsync(db, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A second instance seeded the same meeting at the same moment: it is stored, which is all that matters.
        }
    }
}
