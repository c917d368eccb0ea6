using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

/// <summary>A bulletin as posted for one meeting occurrence; the UNIQUE (meeting, meeting_at) index makes posting idempotent.</summary>
public sealed class BulletinPost
{
    public long Id { get; set; }
    public required string Meeting { get; set; }
    public DateTimeOffset MeetingAt { get; set; }
    public required string Channel { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<BulletinPost>(e =>
    {
        e.ToTable("bulletin_posts");
        e.HasKey(b => b.Id);
    });
}

/// <summary>
/// Builds the weekly bulletin for an operations meeting and records it for the meeting's channel. The body: the meeting,
/// holidays and working days until the next one, then the tickets digest; it goes to the channel through the outbox.
/// </summary>
public sealed class BulletinPoster(
    IDbContextFactory<RolloutDb> dbs, WorkingCalendars calendars, Coordination.MeetingCatalog meetings, ILogger<BulletinPoster> logger,
    Notices.Outbox outbox, Hosting.Contributions<Bulletins.BulletinSection> sections)
{
    private static readonly LocalDateTimePattern When = LocalDateTimePattern.CreateWithInvariantCulture("dddd d MMMM yyyy, HH:mm");
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM");

    /// <summary>Skipped bulletins already logged by this instance: the sweep meets a skipped one every round until the next is due.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, DateTimeOffset), bool> _loggedSkips = new();

    /// <summary>Called by <see cref="BulletinJob"/> at every sweep: each meeting's due bulletin is posted once, or skipped once its meeting has begun.</summary>
    public async Task<IReadOnlyList<BulletinDecision>> RunDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var decisions = new List<BulletinDecision>();
        foreach (var meeting in await meetings.AllAsync(db, ct)) decisions.Add(await RunAsync(meeting.Name, now, ct));
        return decisions;
    }

    /// <summary>Posts the due bulletin of one meeting once, or skips one whose meeting has begun.</summary>
    public async Task<BulletinDecision> RunAsync(string meetingName, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var meeting = await meetings.FindAsync(db, meetingName, ct);
        if (meeting is null) return new(BulletinAction.NotDue, null, TimeSpan.Zero);
        var decision = BulletinRule.Decide(meeting, now);
        if (decision.Action == BulletinAction.NotDue) return decision;

        var occurrence = decision.Occurrence!;
        if (decision.Action == BulletinAction.Skip)
        {
            if (!await db.BulletinPosts.AnyAsync(b => b.Meeting == meeting.Name && b.MeetingAt == occurrence.Start, ct)
                && _loggedSkips.TryAdd((meeting.Name, occurrence.Start), true))
                logger.LogWarning("Skipped the bulletin of {Meeting} at {Start}: {Lateness} late, the meeting has already started",
                    meeting.Name, occurrence.Start, decision.Lateness);
            return decision;
        }
        await PostAsync(db, occurrence, now, ct);
        return decision;
    }

    /// <summary>
    /// Records the bulletin of <paramref name="occurrence"/> and queues it to the meeting's channel in the same
    /// SaveChanges, so it is posted exactly when it is recorded; false when it was already posted.
    /// </summary>
    public async Task<bool> PostAsync(RolloutDb db, MeetingOccurrence occurrence, DateTimeOffset now, CancellationToken ct = default)
    {
        var meeting = occurrence.Meeting;
        if (await db.BulletinPosts.AnyAsync(b => b.Meeting == meeting.Name && b.MeetingAt == occurrence.Start, ct)) return false;
        var text = await BuildAsync(db, occurrence, ct, now);
        db.BulletinPosts.Add(new BulletinPost
        {
            Meeting = meeting.Name,
            MeetingAt = occurrence.Start,
            Channel = meeting.Channel,
            Text = text,
            CreatedAt = now.ToUniversalTime(),
        });
        await outbox.AddAsync(db, $"bulletin:{meeting.Name}:{occurrence.Start.UtcDateTime:yyyy-MM-ddTHH:mm}Z",
            Notices.NoticeRecipient.Channel(meeting.Channel), Bulletins.BulletinCard.ToMessage(meeting.Name, text), ct: ct);
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Posted the bulletin of {Meeting} at {Start} for channel {Channel}", meeting.Name, occurrence.Start, meeting.Channel);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            logger.LogInformation("The bulletin of {Meeting} at {Start} was already posted", meeting.Name, occurrence.Start);
            return false;
        }
    }

    public async Task<string> BuildAsync(RolloutDb db, MeetingOccurrence occurrence, CancellationToken ct = default, DateTimeOffset? now = null)
    {
        var meeting = occurrence.Meeting;
        var next = meeting.OccurrencesAfter(occurrence.Start).FirstOrDefault();
        var calendar = await calendars.ForChannelAsync(db, ct);
        var from = occurrence.LocalStart.Date;
        var until = next?.LocalStart.Date ?? from.PlusDays(7);

        var text = new StringBuilder()
            .Append("**Bulletin — ").Append(meeting.Name).Append("**, ")
            .Append(When.Format(occurrence.LocalStart)).Append(" (").Append(meeting.Zone.Id).Append(")\n\n")
            .Append(next is null ? "In the next week" : $"Until the next {meeting.Name} ({Day.Format(until)})").Append(": ")
            .Append(calendar.WorkingDaysBetween(from, until).ToString(CultureInfo.InvariantCulture))
            .Append(" working days.\n");

        var holidays = (await calendars.HolidaysAsync(db, null, ct))
            .Where(h => LocalDate.FromDateOnly(h.Date) > from && LocalDate.FromDateOnly(h.Date) <= until).ToList();
        text.Append(holidays.Count == 0 ? "No holidays before then.\n" : "Holidays before then:\n");
        foreach (var h in holidays) text.Append("- ").Append(Day.Format(LocalDate.FromDateOnly(h.Date))).Append(": ").Append(h.Name).Append('\n');

        // Daily meetings would fill this list; the others are what people plan around.
        var others = (await meetings.AllAsync(db, ct)).Where(m => m.Name != meeting.Name && m.Recurs != Recurrence.Daily)
            .SelectMany(m => m.OccurrencesBetween(from, until.PlusDays(-1)))
            .Where(o => o.Start > occurrence.Start).OrderBy(o => o.Start).ToList();
        foreach (var o in others)
            text.Append("Also: ").Append(o.Meeting.Name).Append(", ").Append(When.Format(o.LocalStart)).Append('\n');

        // What moved is counted from the previous bulletin of this meeting, or one meeting interval back for the first.
        var at = now ?? occurrence.BulletinAt;
        var previous = await db.BulletinPosts.AsNoTracking().Where(b => b.Meeting == meeting.Name && b.MeetingAt < occurrence.Start)
            .OrderByDescending(b => b.MeetingAt).Select(b => (DateTimeOffset?)b.CreatedAt).FirstOrDefaultAsync(ct);
        var context = new Bulletins.BulletinContext(db, occurrence, previous ?? at.AddDays(-meeting.IntervalDays), at, ct);
        foreach (var (_, section) in sections.All)
            if (await section(context) is { Length: > 0 } part) text.Append(part);
        return text.ToString();
    }
}
