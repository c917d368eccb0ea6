using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Operations;

public sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>How long a due notice may wait unclaimed before /readyz calls the outbox stuck.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan OutboxStuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the Prometheus text is served; <c>/metrics</c> in chat is the people's report, this is the machines'.</summary>
    [Required(AllowEmptyStrings = false), RegularExpression("^/.*", ErrorMessage = "Operations:MetricsPath starts with '/'.")]
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Log one JSON object per line on the console (for journald or a log shipper) instead of text.</summary>
    public bool JsonLogs { get; set; }
}
