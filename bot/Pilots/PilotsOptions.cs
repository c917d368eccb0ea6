using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Configuration section <c>Pilots</c>: the defaults a kick-off starts from, the reminder rhythm, and the effort of each
/// task of seed 001's pilot table in person-hours (1 credit = 1 PH). Bad values stop the bot at start-up naming the key.
/// </summary>
public sealed class PilotsOptions
{
    public const string Section = "Pilots";

    /// <summary>Working days a site has to set the pilot service up (seed 001 step 4: "e.g. 1 week").</summary>
    [Range(1, 60)]
    public int SetupDays { get; set; } = 5;

    /// <summary>Working days between feedback reminders to the VOs ("reminders for feedback are regularly sent").</summary>
    [Range(1, 20)]
    public int FeedbackCadenceDays { get; set; } = 3;

    /// <summary>Seed 004: the post-mortem comes upon success or within 4 weeks (20 working days) from the beginning.</summary>
    [Range(1, 120)]
    public int PostMortemDays { get; set; } = 20;

    /// <summary>Escalations of an overdue post-mortem, one per working day, before the bot stops.</summary>
    [Range(0, 20)]
    public int EscalationRepeats { get; set; } = 3;

    /// <summary>Default effort per task in person-hours, keyed by task (see <see cref="PilotTasks"/>).</summary>
    [Required]
    public Dictionary<string, decimal> Effort { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The tasks of seed 001's pilot table, who performs them, and the default effort in PH (PD = 8 PH).</summary>
public static class PilotTasks
{
    public const string PreScreen = "pre-screen", Instruct = "instruct", OrganiseKickOff = "organise-kick-off", KickOff = "kick-off",
        SetUp = "set-up", ServiceManager = "service-manager", ServiceExpert = "service-expert", PostMortem = "post-mortem", WrapUp = "wrap-up";

    public static readonly IReadOnlyDictionary<string, (decimal Hours, string Who, string What)> Table = new Dictionary<string, (decimal, string, string)>
    {
        [PreScreen] = (6, "coordinator", "pre-screen of resources for pilot start-up"),
        [Instruct] = (2, "pilot coordinator, per site", "instruct the site to start the pilot"),
        [OrganiseKickOff] = (2, "pilot coordinator", "organise the kick-off meeting"),
        [KickOff] = (2, "pilot coordinator, each site and VO", "take part in the kick-off (preparation, attendance, follow-up)"),
        [SetUp] = (12, "site", "set up the pilot service"),
        [ServiceManager] = (8, "site, per week", "one week of support as service manager"),
        [ServiceExpert] = (16, "site, ITR or developers, per week (when reported)", "one week of support as service expert"),
        [PostMortem] = (4, "site", "post-mortem report (set-up, resource use, stability)"),
        [WrapUp] = (2, "pilot coordinator, each site and VO", "take part in the wrap-up meeting"),
    };

    public static string Names => string.Join(", ", Table.Keys);

    public static decimal Hours(this PilotsOptions options, string task) =>
        options.Effort.TryGetValue(task, out var hours) ? hours : Table[task].Hours;
}
