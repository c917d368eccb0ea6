using Microsoft.Extensions.Options;

namespace Rollout.Bot.Scheduling;

/// <summary>The meetings from configuration (<c>Scheduling:Meetings</c>), read once and validated at start-up.</summary>
public sealed class MeetingCatalog(IOptions<SchedulingOptions> options, WorkingCalendars calendars)
{
    public IReadOnlyList<Meeting> All { get; } =
        options.Value.Meetings.Select(m => Meeting.From(m, calendars.CoordinatorZone)).ToList();

    public Meeting? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
}
