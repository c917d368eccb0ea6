using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>
/// The small turn object features see: who is asking, where, what they said or submitted, and how to answer.
/// Replies are queued and sent after the HTTP request has been answered, so a slow channel never holds it open.
/// </summary>
public sealed class TurnContext(Activity activity, OutboundQueue outbound)
{
    private readonly List<Activity> _sent = [];

    public Activity Activity { get; } = activity;
    public string ChannelId => Activity.ChannelId ?? "";
    public string UserId => Activity.From?.Id ?? "";
    public string UserName => Activity.From?.Name ?? Activity.From?.Id ?? "";
    public string? AadObjectId => Activity.From?.AadObjectId;
    public string ConversationId => Activity.Conversation?.Id ?? "";
    public bool IsGroup => Activity.Conversation?.IsGroup ?? false;
    public string? TenantId => Activity.Conversation?.TenantId;
    public string? Locale => Activity.Locale;
    public string Text => Activity.Text ?? "";
    public JsonElement? Value => Activity.Value;
    public bool IsInvoke => Activity.Type == ActivityTypes.Invoke;

    /// <summary>Set by a handler of an invoke activity; returned as the HTTP body.</summary>
    public InvokeResponse? InvokeResponse { get; set; }

    /// <summary>Activities this turn queued, in order (tests and logs read it).</summary>
    public IReadOnlyList<Activity> Sent => _sent;

    public void SendActivity(string text) => SendActivity(Activity.CreateReply(text));

    public void SendActivity(Activity reply)
    {
        reply.Type ??= ActivityTypes.Message;
        reply.ServiceUrl ??= Activity.ServiceUrl;
        reply.ChannelId ??= Activity.ChannelId;
        reply.Conversation ??= Activity.Conversation;
        reply.From ??= Activity.Recipient;
        reply.Recipient ??= Activity.From;
        _sent.Add(reply);
        outbound.Enqueue(new OutboundActivity(OutboundKind.Send, reply));
    }

    /// <summary>Replaces a message the bot sent earlier (PUT), e.g. a card after a click.</summary>
    public void UpdateActivity(Activity updated)
    {
        updated.Type ??= ActivityTypes.Message;
        updated.ServiceUrl ??= Activity.ServiceUrl;
        updated.ChannelId ??= Activity.ChannelId;
        updated.Conversation ??= Activity.Conversation;
        updated.From ??= Activity.Recipient;
        outbound.Enqueue(new OutboundActivity(OutboundKind.Update, updated));
    }
}
