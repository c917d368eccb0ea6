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
    public async Task<Delivered> DeliverAsync(DeliveryTarget target, BotMessage message, CancellationToken ct)
    {
        var activity = message.ToActivity();
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
            {
                var created = await connector.CreateConversationAsync(target.ServiceUrl, new ConversationParameters
                {
                    IsGroup = false, Bot = Account(target.Bot), Members = [Account(target.User)!], TenantId = target.TenantId,
                }, ct);
                var conversationId = created.Id ?? throw new ConnectorException(502, "NoConversationId",
                    "Creating the personal conversation returned no conversation id.");
                var sent = await SendAsync(target with { ConversationId = conversationId }, activity, ct);
                return sent with { CreatedPersonal = true };
            }
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

    private async Task<Delivered> SendAsync(DeliveryTarget target, Activity activity, CancellationToken ct)
    {
        activity.Conversation = new ConversationAccount { Id = target.ConversationId, TenantId = target.TenantId };
        var response = await connector.SendToConversationAsync(target.ServiceUrl, activity, ct);
        return new Delivered(target.ConversationId!, response?.Id ?? "", target.ServiceUrl, false);
    }

    private static ChannelAccount? Account(Person? person) => person is null ? null : new ChannelAccount { Id = person.Id, Name = person.Name };
}
