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

    /// <summary>
    /// The same for a notice the channel keeps answering 429 (too many requests): that is the channel asking to wait,
    /// not the notice failing, and since a conversation's later notices wait behind the one being retried (order), one
    /// notice can meet a whole run of them. Parked only after this many attempts in all.
    /// </summary>
    [Range(1, 1000)]
    public int MaxThrottledAttempts { get; set; } = 30;

    /// <summary>First retry delay; doubled per failure, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a claim lasts unless renewed. The instance holding notices renews their claims every third of it, so a
    /// slow channel never loses them; a crashed instance's claims lapse after it and another instance sends them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(9);

    /// <summary>
    /// How long one send may wait for the channel's answer. Shorter than the 15 s after which a channel gives up on a
    /// bot and re-sends (PROTOCOL §7); a notice whose send timed out is parked, not re-sent, since the channel may have it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Sends in flight at once, across all conversations.</summary>
    [Range(1, 1024)]
    public int MaxSendsInFlight { get; set; } = 64;

    /// <summary>Sends in flight at once to one serviceUrl: a channel that stops answering can hold no more than this.</summary>
    [Range(1, 1024)]
    public int MaxSendsInFlightPerServiceUrl { get; set; } = 32;

    /// <summary>Notices claimed per round.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Sends per second per conversation (Teams allows 7 per bot per thread per second).</summary>
    [Range(1, 100)]
    public int SendsPerSecondPerConversation { get; set; } = 7;

    /// <summary>
    /// Added to the one-second window of <see cref="SendsPerSecondPerConversation"/>: the channel counts sends as they
    /// arrive, and a send that left a second after another can arrive sooner than that (measured: 8 in one second at
    /// the channel with no margin, `tests/bench/notices.py` scenario `one`).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan RateWindowMargin { get; set; } = TimeSpan.FromMilliseconds(100);

}
