using NodaTime;
using NodaTime.TimeZones;

namespace Rollout.Bot.Scheduling;

/// <summary>One occurrence of a meeting and the instant its bulletin is due (both UTC).</summary>
public sealed record MeetingOccurrence(Meeting Meeting, DateTimeOffset Start, DateTimeOffset BulletinAt)
{
    public LocalDateTime LocalStart => Instant.FromDateTimeOffset(Start).InZone(Meeting.Zone).LocalDateTime;
    public LocalDateTime LocalBulletinAt => Instant.FromDateTimeOffset(BulletinAt).InZone(Meeting.Zone).LocalDateTime;
}

/// <summary>
/// A recurring meeting (seed 000 "Calendar"): every week or every second week on one day at one local time. The
/// bulletin is due the lead time earlier in local wall time, so a 16:00 meeting with a 2-hour lead has its bulletin
/// at 14:00 whatever the daylight-saving offset.
/// </summary>
public sealed record Meeting(
    string Name, int EveryWeeks, IsoDayOfWeek Day, LocalTime Time, DateTimeZone Zone, string Channel, Duration BulletinLead, LocalDate? Anchor)
{
    /// <summary>Reads a validated <see cref="MeetingOption"/>; an empty time zone means the coordinators' zone.</summary>
    public static Meeting From(MeetingOption o, DateTimeZone defaultZone) => new(
        o.Name.Trim(),
        SchedulingOptionsValidator.Weeks(o.Every)!.Value,
        SchedulingOptionsValidator.Day(o.Day)!.Value,
        SchedulingOptionsValidator.Time(o.Time)!.Value,
        SchedulingOptionsValidator.Zone(o.TimeZone) ?? defaultZone,
        o.Channel.Trim(),
        SchedulingOptionsValidator.Lead(o.BulletinLead)!.Value,
        SchedulingOptionsValidator.Date(o.Anchor));

    public string Every => EveryWeeks == 1 ? "weekly" : "fortnightly";

    /// <summary>Whether the meeting takes place on this local date.</summary>
    public bool OccursOn(LocalDate date)
    {
        if (date.DayOfWeek != Day) return false;
        if (EveryWeeks == 1 || Anchor is null) return true;
        var days = Period.DaysBetween(Anchor.Value, date);
        return ((days % (7 * EveryWeeks)) + 7 * EveryWeeks) % (7 * EveryWeeks) == 0;
    }

    public MeetingOccurrence On(LocalDate date)
    {
        var start = date + Time;
        var bulletin = start.Minus(Period.FromTicks(BulletinLead.BclCompatibleTicks));
        return new(this,
            Zone.ResolveLocal(start, Resolvers.LenientResolver).ToInstant().ToDateTimeOffset(),
            Zone.ResolveLocal(bulletin, Resolvers.LenientResolver).ToInstant().ToDateTimeOffset());
    }

    /// <summary>The occurrences that start after <paramref name="after"/>, in order, without end.</summary>
    public IEnumerable<MeetingOccurrence> OccurrencesAfter(DateTimeOffset after)
    {
        var date = Instant.FromDateTimeOffset(after).InZone(Zone).Date.PlusDays(-1);
        while (!OccursOn(date)) date = date.PlusDays(1);
        while (true)
        {
            var occurrence = On(date);
            if (occurrence.Start > after) yield return occurrence;
            date = date.PlusWeeks(EveryWeeks);
        }
    }

    /// <summary>The occurrences whose start falls on a local date in [from, to].</summary>
    public IEnumerable<MeetingOccurrence> OccurrencesBetween(LocalDate from, LocalDate to)
    {
        for (var d = from; d <= to; d = d.PlusDays(1))
            if (OccursOn(d)) yield return On(d);
    }
}

public enum BulletinAction { Post, Skip, NotDue }

public sealed record BulletinDecision(BulletinAction Action, MeetingOccurrence? Occurrence, TimeSpan Lateness);

public static class BulletinRule
{
    /// <summary>Quartz may fire a moment before the scheduled second; a bulletin this close to due counts as due.</summary>
    public static readonly TimeSpan EarlyTolerance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What to do when the bulletin trigger fires at <paramref name="now"/>: post the bulletin of the latest
    /// occurrence that is due, unless its meeting has already started (late by more than the lead time): then skip
    /// it, never post it late. Only the latest due occurrence is considered, so a long outage never posts a burst.
    /// </summary>
    public static BulletinDecision Decide(Meeting meeting, DateTimeOffset now)
    {
        var lookBack = now - TimeSpan.FromDays(7 * meeting.EveryWeeks + 7);
        var due = meeting.OccurrencesAfter(lookBack)
            .TakeWhile(o => o.BulletinAt <= now + EarlyTolerance)
            .LastOrDefault();
        if (due is null) return new(BulletinAction.NotDue, null, TimeSpan.Zero);
        var lateness = now - due.BulletinAt;
        return now < due.Start
            ? new(BulletinAction.Post, due, lateness < TimeSpan.Zero ? TimeSpan.Zero : lateness)
            : new(BulletinAction.Skip, due, lateness);
    }
}
