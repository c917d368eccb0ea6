using NodaTime;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Coordination;

/// <summary>
/// The fields of <c>/meeting add</c> and <c>/meeting set</c>, read onto a stored meeting. Every problem is collected
/// so that one reply says all that is wrong; <see cref="Changes"/> lists what a set changed, for the history.
/// </summary>
internal static class MeetingForm
{
    public static readonly string[] Keys =
        ["name", "every", "day", "time", "length", "anchor", "date", "zone", "room", "chairs", "secretaries", "bulletin", "lead", "channel"];

    /// <summary>Applies the typed fields to <paramref name="row"/>; returns (field, from, to) for each one that changed.</summary>
    public static List<MeetingChanged> Apply(CommandInput input, StoredMeeting row)
    {
        var changes = new List<MeetingChanged>();
        void Set<T>(string field, T from, T to, Action<T> assign, Func<T, string?> show)
        {
            if (EqualityComparer<T>.Default.Equals(from, to)) return;
            changes.Add(new MeetingChanged(field, show(from), show(to)));
            assign(to);
        }

        if (input.Optional("every") is { } every)
        {
            if (SchedulingOptionsValidator.Recurs(every) is { } r) Set("every", row.Recurrence, r, v => row.Recurrence = v, v => v.ToString().ToLowerInvariant());
            else input.Problem($"`every={every}` must be daily, weekly, fortnightly, quarterly or once.");
        }
        if (input.Optional("day") is { } day)
        {
            if (SchedulingOptionsValidator.Day(day) is { } d) Set<IsoDayOfWeek?>("day", row.Day, d, v => row.Day = v, v => v?.ToString());
            else input.Problem($"`day={day}` is not a day of the week: give one like `day=Thursday`.");
        }
        if ((input.Optional("anchor") ?? input.Optional("date")) is { } anchor)
        {
            if (SchedulingOptionsValidator.Date(anchor) is { } a) Set<DateOnly?>("anchor", row.Anchor, a.ToDateOnly(), v => row.Anchor = v, v => v?.ToString("yyyy-MM-dd"));
            else input.Problem($"`anchor={anchor}` is not a date: give it as YYYY-MM-DD.");
        }
        if (input.Optional("time") is { } time)
        {
            if (SchedulingOptionsValidator.Time(time) is { } t) Set("time", row.Time, t.ToTimeOnly(), v => row.Time = v, v => v.ToString("HH:mm"));
            else input.Problem($"`time={time}` is not a time of day: give it as HH:mm, like `time=15:30`.");
        }
        if (input.Optional("length") is { } length)
        {
            if (SchedulingOptionsValidator.Length(length) is { } l) Set("length", row.LengthMinutes, (int)l.TotalMinutes, v => row.LengthMinutes = v, v => $"{v} min");
            else input.Problem($"`length={length}` is not a length: give hh:mm or minutes, like `length=1:30` or `length=90` (5 minutes to a day).");
        }
        if (input.Optional("zone") is { } zone)
        {
            if (SchedulingOptionsValidator.Zone(zone) is { } z) Set("zone", row.TimeZone, z.Id, v => row.TimeZone = v, v => v);
            else input.Problem($"`zone={zone}` is not an IANA time zone, like `zone=Europe/Zurich`.");
        }
        if (input.Optional("lead") is { } lead)
        {
            if (SchedulingOptionsValidator.Lead(lead) is { } l) Set("bulletin lead", row.BulletinLeadMinutes, (int)l.TotalMinutes, v => row.BulletinLeadMinutes = v, v => $"{v} min");
            else input.Problem($"`lead={lead}` must be a duration hh:mm under a week, like `lead=02:00`.");
        }
        if (input.Optional("bulletin") is { } bulletin)
        {
            if (OnOff(bulletin) is { } on) Set("bulletin", row.Bulletin, on, v => row.Bulletin = v, v => v ? "on" : "off");
            else input.Problem($"`bulletin={bulletin}` must be on or off.");
        }
        if (input.Optional("channel") is { } channel)
        {
            if (NoticePurposes.Find(channel) is { } p && !NoticePurposes.IsPerStack(p)) Set("channel", row.Channel, p, v => row.Channel = v, v => v);
            else input.Problem($"`channel={channel}` must be operations, broadcast or security (the conversation bound to it gets the bulletin).");
        }
        if (input.Optional("room") is { } room) Set<string?>("room", row.Room, room == "-" ? null : room, v => row.Room = v, v => v);
        if (input.Optional("chairs") is { } chairs) Set("chairs", row.Chairs, People(chairs), v => row.Chairs = v, v => v);
        if (input.Optional("secretaries") is { } secretaries) Set("secretaries", row.Secretaries, People(secretaries), v => row.Secretaries = v, v => v);

        Check(input, row);
        return changes;
    }

    /// <summary>The rules between fields: a day for weekly meetings, an anchor for the others, matching days.</summary>
    private static void Check(CommandInput input, StoredMeeting row)
    {
        if (row.Recurrence is Recurrence.Weekly or Recurrence.Fortnightly && row.Day is null)
            input.Problem($"A {row.Recurrence.ToString().ToLowerInvariant()} meeting needs `day=` (like `day=Thursday`).");
        if (row.Recurrence is Recurrence.Fortnightly or Recurrence.Quarterly or Recurrence.Once && row.Anchor is null)
            input.Problem($"A {row.Recurrence.ToString().ToLowerInvariant()} meeting needs `anchor=YYYY-MM-DD`, a date it takes place on.");
        if (row.Recurrence == Recurrence.Fortnightly && row.Anchor is { } a && row.Day is { } d && LocalDate.FromDateOnly(a).DayOfWeek != d)
            input.Problem($"`anchor={a:yyyy-MM-dd}` is a {LocalDate.FromDateOnly(a).DayOfWeek}, not a {d}.");
        if (row.Recurrence is not (Recurrence.Weekly or Recurrence.Fortnightly)) row.Day = null;
    }

    /// <summary>"u-a, u-b" or "u-a u-b" → the stored space-separated ids; "-" clears.</summary>
    public static string People(string typed) =>
        typed.Trim() == "-" ? "" : StoredMeeting.Join(typed.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.TrimStart('@')));

    public static bool? OnOff(string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "yes" or "true" => true,
        "off" or "no" or "false" => false,
        _ => null,
    };
}
