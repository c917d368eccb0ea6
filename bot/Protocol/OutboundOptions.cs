using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Protocol;

/// <summary>How turn replies go out (configuration section <c>Outbound</c>).</summary>
public sealed class OutboundOptions
{
    public const string Section = "Outbound";

    /// <summary>Connector calls in flight at once, across conversations (one at a time within a conversation).</summary>
    [Range(1, 256)]
    public int Senders { get; set; } = 16;

    /// <summary>
    /// Replies waiting to be sent before new turns wait for room: bounds memory when the channel is slower than
    /// the users, and passes the slowness back to the channel instead of hiding it in a queue.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxBacklog { get; set; } = 512;
}
