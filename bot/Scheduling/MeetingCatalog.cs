using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Rollout.Bot.Scheduling;

/// <summary>The meetings from configuration (<c>Scheduling:Meetings</c>), read once and validated at start-up.</summary>
public sealed class MeetingCatalog(IOptions<SchedulingOptions> options, WorkingCalendars calendars)
{
    public IReadOnlyList<Meeting> All { get; } =
        options.Value.Meetings.Select(m => Meeting.From(m, calendars.CoordinatorZone)).ToList();

    public Meeting? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}

internal static class UniqueViolation
{
    /// <summary>A UNIQUE index refused the row: the thing already exists, which for idempotent writes is success.</summary>
    public static bool Is(DbUpdateException ex) => ex.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
