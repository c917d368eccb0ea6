namespace Rollout.Bot.Scheduling;

/// <summary>Configuration section <c>Scheduling</c>: the coordinators' calendar, meetings and the Quartz engine switch.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>Runs Quartz (bulletins, reminder sweeps). Tests turn it off and drive the feature code directly.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IANA zone of the coordinators: channel-wide deadlines and the default for sites and meetings.</summary>
    public string TimeZone { get; set; } = "Europe/Zurich";

    public string WorkdayStart { get; set; } = "09:00";
    public string WorkdayEnd { get; set; } = "17:00";

    /// <summary>How often Quartz sweeps the reminders table for due reminders.</summary>
    public int ReminderSweepSeconds { get; set; } = 60;

    /// <summary>How many acceptance nags a verified ticket gets, one per working day, before the bot stops nagging.</summary>
    public int NagRepeats { get; set; } = 3;

    public List<HolidayOption> Holidays { get; set; } = [];
    public List<MeetingOption> Meetings { get; set; } = [];
}

/// <summary>A holiday from configuration; <see cref="Site"/> names the one site it applies to, empty means everyone.</summary>
public sealed class HolidayOption
{
    public string Date { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Site { get; set; }
}

/// <summary>
/// A meeting seeded into the database at start-up when none of its name is stored yet; coordinators manage it in chat
/// from then on (<c>/meeting</c>). Its bulletin, when it has one, is posted <see cref="BulletinLead"/> before it starts.
/// </summary>
public sealed class MeetingOption
{
    public string Name { get; set; } = "";
    /// <summary><c>daily</c> (working days), <c>weekly</c>, <c>fortnightly</c>, <c>quarterly</c> or <c>once</c>; all but daily and weekly need <see cref="Anchor"/>.</summary>
    public string Every { get; set; } = "weekly";
    public string Day { get; set; } = "";
    public string Time { get; set; } = "";
    /// <summary>Empty means <see cref="SchedulingOptions.TimeZone"/>.</summary>
    public string? TimeZone { get; set; }
    /// <summary>Purpose of the channel the bulletin goes to (channels are bound to purposes, e.g. <c>operations</c>).</summary>
    public string Channel { get; set; } = "operations";
    public string BulletinLead { get; set; } = "02:00";
    /// <summary>A date (yyyy-MM-dd) the meeting takes place on: every second week, every third month count from it; a one-off is on it.</summary>
    public string? Anchor { get; set; }
    /// <summary>How long the meeting lasts, hh:mm.</summary>
    public string Length { get; set; } = "01:00";
    public string? Room { get; set; }
    /// <summary>Chat user ids of the chairs: they order and drop agenda items.</summary>
    public List<string> Chairs { get; set; } = [];
    /// <summary>Chat user ids of the secretaries: they record the minutes.</summary>
    public List<string> Secretaries { get; set; } = [];
    /// <summary>Whether a bulletin is posted before the meeting.</summary>
    public bool Bulletin { get; set; } = true;
}
