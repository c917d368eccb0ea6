using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Notices;

/// <summary>Outbox dispatcher settings (configuration section <c>Notices</c>).</summary>
public sealed class NoticesOptions
{
    public const string Section = "Notices";

    /// <summary>How often the dispatcher looks for due notices when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed sends (429, 5xx, network) before a notice is parked for a coordinator to look at.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubled per failure, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a claimed notice belongs to one dispatcher; a crashed instance's claims expire after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Notices claimed per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Sends per second per conversation (Teams allows 7 per bot per thread per second).</summary>
    [Range(1, 100)]
    public int SendsPerSecondPerConversation { get; set; } = 7;

}
