using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Status;

public sealed class StatusOptions
{
    public const string Section = "Status";

    /// <summary>The public read-only pages (/status, its bulletins and charts, /feed.atom, /calendar.ics); off answers 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Domain used in feed entry ids (tag URIs) and calendar UIDs; it must never change once readers subscribe.</summary>
    [Required, RegularExpression(@"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", ErrorMessage = "Status:Authority must be a lower-case domain name, e.g. rollout.example.org.")]
    public string Authority { get; set; } = "rollout-bot.invalid";

    /// <summary>How many weeks of meetings the calendar shows.</summary>
    [Range(1, 26, ErrorMessage = "Status:CalendarWeeks must be between 1 and 26.")]
    public int CalendarWeeks { get; set; } = 4;
}
