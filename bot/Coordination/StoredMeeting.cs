using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary>A meeting as stored (table <c>meetings</c>); <see cref="ToMeeting"/> gives the schedule the rest of the bot reads.</summary>
public sealed class StoredMeeting
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string NameKey { get; set; }
    public Recurrence Recurrence { get; set; }
    public IsoDayOfWeek? Day { get; set; }
    public DateOnly? Anchor { get; set; }
    public TimeOnly Time { get; set; }
    public int LengthMinutes { get; set; }
    public required string TimeZone { get; set; }
    public string? Room { get; set; }
    public required string Channel { get; set; }
    public bool Bulletin { get; set; }
    public int BulletinLeadMinutes { get; set; }
    /// <summary>Chat user ids, space-separated.</summary>
    public string Chairs { get; set; } = "";
    public string Secretaries { get; set; } = "";
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    public static string Key(string name) => name.Trim().ToLowerInvariant();

    public IReadOnlyList<string> ChairIds => Split(Chairs);
    public IReadOnlyList<string> SecretaryIds => Split(Secretaries);

    public static string Join(IEnumerable<string> ids) => string.Join(' ', ids.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal));

    private static List<string> Split(string ids) => ids.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    public Meeting ToMeeting(IEnumerable<StoredOccurrence> occurrences, IReadOnlySet<LocalDate> holidays) =>
        new(Name, Recurrence == Recurrence.Fortnightly ? 2 : 1, Day ?? (Anchor is { } a ? LocalDate.FromDateOnly(a).DayOfWeek : IsoDayOfWeek.Monday),
            LocalTime.FromTimeOnly(Time), DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? DateTimeZone.Utc, Channel,
            Duration.FromMinutes(BulletinLeadMinutes), Anchor is { } d ? LocalDate.FromDateOnly(d) : null)
        {
            Id = Id,
            Recurs = Recurrence,
            Length = Duration.FromMinutes(LengthMinutes),
            Room = Room,
            Chairs = ChairIds,
            Secretaries = SecretaryIds,
            HasBulletin = Bulletin,
            Holidays = holidays,
            Changes = occurrences.Where(o => o.Cancelled || o.MovedTo is not null)
                .Select(o => new OccurrenceChange(LocalDate.FromDateOnly(o.Date), o.Cancelled ? null : o.MovedToLocal))
                .ToList(),
        };

    public static StoredMeeting From(Meeting m, string by, DateTimeOffset at) => new()
    {
        Name = m.Name, NameKey = Key(m.Name), Recurrence = m.Recurs,
        Day = m.Recurs is Recurrence.Weekly or Recurrence.Fortnightly ? m.Day : null,
        Anchor = m.Anchor?.ToDateOnly(), Time = m.Time.ToTimeOnly(), LengthMinutes = (int)m.Length.TotalMinutes,
        TimeZone = m.Zone.Id, Room = m.Room, Channel = m.Channel, Bulletin = m.HasBulletin,
        BulletinLeadMinutes = (int)m.BulletinLead.TotalMinutes, Chairs = Join(m.Chairs), Secretaries = Join(m.Secretaries),
        CreatedBy = by, CreatedAt = at,
    };

    internal static void Map(ModelBuilder model) => model.Entity<StoredMeeting>(e =>
    {
        e.ToTable("meetings");
        e.HasKey(m => m.Id);
        e.Property(m => m.Recurrence).HasConversion<string>();
        e.Property(m => m.Day).HasConversion<string>();
    });
}

/// <summary>One occurrence taken out of its series or given a bulletin note (table <c>meeting_occurrences</c>).</summary>
public sealed class StoredOccurrence
{
    public long MeetingId { get; set; }
    public DateOnly Date { get; set; }
    public bool Cancelled { get; set; }
    /// <summary>The new local start in the meeting's zone, as yyyy-MM-ddTHH:mm (a wall time, the same text on both engines).</summary>
    public string? MovedTo { get; set; }

    public static string Local(LocalDateTime start) => LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd'T'HH:mm").Format(start);

    public LocalDateTime? MovedToLocal =>
        MovedTo is null ? null : LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd'T'HH:mm").Parse(MovedTo).GetValueOrThrow();
    public string? Reason { get; set; }
    public string? BulletinNote { get; set; }
    public required string ChangedBy { get; set; }
    public DateTimeOffset ChangedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<StoredOccurrence>(e =>
    {
        e.ToTable("meeting_occurrences");
        e.HasKey(o => new { o.MeetingId, o.Date });
        e.Ignore(o => o.MovedToLocal);
    });
}
