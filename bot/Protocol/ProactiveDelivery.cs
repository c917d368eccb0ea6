using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Protocol;

public enum DeliveryMode { Send, NewTeamsThread, CreatePersonal, Update }

/// <summary>
/// Where one proactive message goes: a conversation, a new thread in a Teams channel, a person whose 1:1
/// conversation must first be created, or one posted message to replace.
/// </summary>
public sealed record DeliveryTarget(
    DeliveryMode Mode, string ChannelId, string ServiceUrl, string? ConversationId, string? TenantId,
    Person? Bot, Person? User, string? TeamsChannelId = null, string? ActivityId = null)
{
    /// <summary>The rate limit applies per conversation (a Teams channel counts as one, whatever the thread).</summary>
    public string RateKey => $"{ChannelId}|{TeamsChannelId ?? ConversationId ?? "user:" + User?.Id}";
}

/// <summary>What a delivery produced: the conversation and the activity id the channel gave the message.</summary>
public sealed record Delivered(string ConversationId, string ActivityId, string ServiceUrl, bool CreatedPersonal);

/// <summary>
/// Sends messages the bot starts itself (PROTOCOL §2, §4): into a known conversation, as a new thread of a Teams
/// channel, to a person by creating the 1:1 conversation Teams allows, or over a message posted earlier.
/// </summary>
public sealed class ProactiveDelivery(IConnector connector)
{
    /// <summary>One attempt, no retry inside: the caller (the outbox) retries, through its rate limit and in order.</summary>
    public async Task<Delivered> DeliverAsync(DeliveryTarget target, BotMessage message, CancellationToken ct)
    {
        using var once = Connector.ConnectorRetry.SingleAttempt();
        var activity = message.ToActivity(target.ChannelId);
        activity.ChannelId = target.ChannelId;
        activity.ServiceUrl = target.ServiceUrl;
        activity.From = Account(target.Bot);
        activity.Recipient = Account(target.User);
        switch (target.Mode)
        {
            case DeliveryMode.NewTeamsThread:
            {
                // Each notice starts its own thread in the bound Teams channel (PROTOCOL §4: new thread).
                var created = await connector.CreateConversationAsync(target.ServiceUrl, new ConversationParameters
                {
                    IsGroup = true, Bot = Account(target.Bot), TenantId = target.TenantId, Activity = activity,
                    ChannelData = ProtocolJson.ToElement(new { channel = new { id = target.TeamsChannelId } }),
                }, ct);
                return new Delivered(created.Id ?? target.ConversationId!, created.ActivityId ?? "", created.ServiceUrl ?? target.ServiceUrl, false);
            }
            case DeliveryMode.CreatePersonal:
                return await CreatePersonalAsync(target, activity, ct);
            case DeliveryMode.Update:
            {
                activity.Id = target.ActivityId;
                activity.Conversation = new ConversationAccount { Id = target.ConversationId };
                await connector.UpdateActivityAsync(target.ServiceUrl, activity, ct);
                return new Delivered(target.ConversationId!, target.ActivityId!, target.ServiceUrl, false);
            }
            default:
                return await SendAsync(target, activity, ct);
        }
    }

    /// <summary>
    /// Opens the person's 1:1 chat with the bot (Teams allows it once the app is installed for them or in a team they
    /// are in), then sends. A refusal is reported in words that say who could not be reached and why.
    /// </summary>
    private async Task<Delivered> CreatePersonalAsync(DeliveryTarget target, Activity activity, CancellationToken ct)
    {
        var who = target.User?.Name is { Length: > 0 } name ? $"{name} ({target.User.Id})" : target.User?.Id;
        ConversationResourceResponse created;
        try
        {
            created = await connector.CreateConversationAsync(target.ServiceUrl, new ConversationParameters
            {
                IsGroup = false, Bot = Account(target.Bot), Members = [Account(target.User)!], TenantId = target.TenantId,
                ChannelData = target.TenantId is null ? null : ProtocolJson.ToElement(new { tenant = new { id = target.TenantId } }),
            }, ct);
        }
        catch (ConnectorException ex) when (ex.StatusCode is 403 or 404)
        {
            throw new ConnectorException(ex.StatusCode, ex.Code ?? "Unreachable",
                $"{who} cannot be reached: Teams refused to open a personal chat with them ({ex.Message}). " +
                "The app must be installed for them, or they can write to the bot once.");
        }
        var conversationId = created.Id ?? throw new ConnectorException(502, "NoConversationId",
            $"Opening a personal chat with {who} returned no conversation id.");
        var sent = await SendAsync(target with { ConversationId = conversationId, ServiceUrl = created.ServiceUrl ?? target.ServiceUrl }, activity, ct);
        return sent with { CreatedPersonal = true };
    }

    private async Task<Delivered> SendAsync(DeliveryTarget target, Activity activity, CancellationToken ct)
    {
        activity.Conversation = new ConversationAccount { Id = target.ConversationId, TenantId = target.TenantId };
        activity.ServiceUrl = target.ServiceUrl;
        var response = await connector.SendToConversationAsync(target.ServiceUrl, activity, ct);
        return new Delivered(target.ConversationId!, response?.Id ?? "", target.ServiceUrl, false);
    }

    private static ChannelAccount? Account(Person? person) => person is null ? null : new ChannelAccount { Id = person.Id, Name = person.Name };
}
