using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

/// <summary>What kind of turn this is, as far as features care.</summary>
public enum TurnKind { Message, CardClick, MembersAdded, OtherInvoke, Other }

/// <summary>Someone in a conversation, as the channel names them.</summary>
public sealed record Person(string Id, string? Name = null);

/// <summary>
/// The small turn object features see: who is asking, where, what they typed or clicked, and how to answer. The
/// activity itself stays inside Protocol. Replies are queued and sent after the HTTP request has been answered, so a
/// slow channel never holds it open; an invoke is answered in the HTTP response.
/// </summary>
public sealed class TurnContext
{
    private readonly OutboundQueue _outbound;
    private readonly List<Activity> _sent = [];

    internal TurnContext(Activity activity, OutboundQueue outbound)
    {
        Activity = activity;
        _outbound = outbound;
        Click = CardClick.From(activity);
        Kind = activity.Type switch
        {
            ActivityTypes.Message when Click is not null => TurnKind.CardClick,
            ActivityTypes.Message => TurnKind.Message,
            ActivityTypes.Invoke when Click is not null => TurnKind.CardClick,
            ActivityTypes.Invoke => TurnKind.OtherInvoke,
            ActivityTypes.ConversationUpdate when MembersAdded.Count > 0 || BotAdded => TurnKind.MembersAdded,
            ActivityTypes.InstallationUpdate when activity.Action is "add" => TurnKind.MembersAdded,
            _ => TurnKind.Other,
        };
    }

    internal Activity Activity { get; }

    public TurnKind Kind { get; }
    public string ChannelId => Activity.ChannelId ?? "";
    public string UserId => Activity.From?.Id ?? "";
    public string UserName => Activity.From?.Name ?? Activity.From?.Id ?? "";
    public string? AadObjectId => Activity.From?.AadObjectId;
    public string ConversationId => Activity.Conversation?.Id ?? "";

    /// <summary>The channel's id of this activity (empty when it sent none).</summary>
    public string ActivityId => Activity.Id ?? "";
    public bool IsGroup => Activity.Conversation?.IsGroup ?? false;
    public string? Locale => Activity.Locale;
    public string Text => Activity.Text ?? "";

    /// <summary>The tenant, from the conversation or (Teams) from channelData.tenant.id.</summary>
    public string? TenantId => Activity.Conversation?.TenantId ?? ChannelData("tenant", "id");

    /// <summary>The Teams channel of a channel conversation (channelData.channel.id); null elsewhere.</summary>
    public string? TeamsChannelId => ChannelData("channel", "id");

    /// <summary>The card button that was clicked, when this turn is a click.</summary>
    public CardClick? Click { get; }

    /// <summary>People who joined the conversation in this turn, the bot itself left out.</summary>
    public IReadOnlyList<Person> MembersAdded => Activity.MembersAdded?
        .Where(m => m is not null && !string.IsNullOrWhiteSpace(m.Id) && m.Id != Activity.Recipient?.Id)
        .Select(m => new Person(m.Id!, m.Name ?? m.Id!)).ToList() ?? [];

    /// <summary>The bot itself was added to the conversation (installed in a team, a group chat or a personal chat).</summary>
    public bool BotAdded => Activity.Type == ActivityTypes.InstallationUpdate && Activity.Action is "add"
        || Activity.MembersAdded?.Any(m => m?.Id is { } id && id == Activity.Recipient?.Id) == true;

    /// <summary>Set by answering an invoke; returned as the HTTP body.</summary>
    internal InvokeResponse? InvokeResponse { get; private set; }

    /// <summary>True once <see cref="FailedOnOurSide"/> was called.</summary>
    internal bool Failed { get; private set; }

    /// <summary>
    /// Says the turn failed for a reason of ours (the apology was given): the activity is not remembered as seen, so the
    /// channel's re-send of it runs again instead of being dropped as a duplicate.
    /// </summary>
    public void FailedOnOurSide() => Failed = true;

    /// <summary>Activities this turn queued, in order (tests and logs read it).</summary>
    internal IReadOnlyList<Activity> Sent => _sent;

    public void Reply(BotMessage message)
    {
        if (message.IsEmpty) return;
        var reply = Activity.CreateReply();
        var body = message.ToActivity(ChannelId);
        reply.Text = body.Text;
        reply.Summary = body.Summary;
        reply.Attachments = body.Attachments;
        reply.Entities = body.Entities;
        reply.Conversation ??= Activity.Conversation;
        _sent.Add(reply);
        _outbound.Enqueue(new OutboundActivity(OutboundKind.Send, reply));
    }

    /// <summary>Answers an <c>adaptiveCard/action</c> invoke with a message the client shows the clicker.</summary>
    public void AnswerInvoke(string text) => InvokeResponse = InvokeResponses.Message(text);

    /// <summary>
    /// Answers an <c>adaptiveCard/action</c> invoke (a click, or Teams asking for a refresh) with the card the clicker sees
    /// at once in place of the clicked one; nobody else's view changes (update the posted card for that).
    /// </summary>
    public void AnswerInvokeWithCard(JsonElement card) =>
        InvokeResponse = InvokeResponses.Card(CardWire.ForChannel(card, ChannelId, null, null));

    /// <summary>
    /// Answers an invoke with a refusal that only the clicker sees, on the card they clicked (Teams shows the message
    /// under the card). <paramref name="statusCode"/> is 400 for "you may not / not now", 500 for a fault of ours.
    /// </summary>
    public void AnswerInvokeWithError(int statusCode, string code, string message)
    {
        if (statusCode is < 400 or > 599)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An invoke error is a 4xx or 5xx status.");
        InvokeResponse = InvokeResponses.Error(statusCode, code, message);
    }

    /// <summary>People @mentioned in this message, the bot itself left out (Teams: mention entities with their ids).</summary>
    public IReadOnlyList<Person> Mentioned => Activity.Entities?
        .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            && t.GetString() == "mention" && e.TryGetProperty("mentioned", out var m) && m.ValueKind == JsonValueKind.Object)
        .Select(e => e.GetProperty("mentioned"))
        .Select(m => new Person(Str(m, "id") ?? "", Str(m, "name")))
        .Where(p => p.Id.Length > 0 && p.Id != Activity.Recipient?.Id)
        .DistinctBy(p => p.Id).ToList() ?? [];

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private string? ChannelData(string outer, string inner) =>
        Activity.ChannelData is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(outer, out var o) && o.ValueKind == JsonValueKind.Object
            && o.TryGetProperty(inner, out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
}
