using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Protocol;

/// <summary>How turn replies go out (configuration section <c>Outbound</c>).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Connector calls in flight at once, across conversations (one at a time within a conversation).</summary>
    [Range(1, 256)]
    public int Senders { get; set; } = 32;

    /// <summary>
    /// Replies waiting to be sent before new turns wait for room: bounds memory when the channel is slower than
    /// the users, and passes the slowness back to the channel instead of hiding it in a queue.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxBacklog { get; set; } = 512;

    /// <summary>Of the <see cref="Senders"/>, how many one serviceUrl may hold at once (a channel that hangs holds no more).</summary>
    [Range(1, 256)]
    public int MaxInFlightPerServiceUrl { get; set; } = 16;

    /// <summary>Replies one serviceUrl may have waiting before its own turns wait for room.</summary>
    [Range(1, 1_000_000)]
    public int MaxBacklogPerServiceUrl { get; set; } = 128;

    /// <summary>How long one reply may wait for the channel's answer (shorter than a channel's 15 s re-send, PROTOCOL §7).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
