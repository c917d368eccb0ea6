using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

public enum DeliveryMode { Send, NewTeamsThread, CreatePersonal, Update }

/// <summary>Where one notice goes, resolved at send time from bindings, personal conversations or posted copies.</summary>
public sealed record DeliveryTarget(
    DeliveryMode Mode, string ChannelId, string ServiceUrl, string? ConversationId, string? TenantId,
    ChannelAccount? Bot, ChannelAccount? User, string? TeamsChannelId = null, string? ActivityId = null)
{
    /// <summary>The rate limit applies per conversation (a Teams channel counts as one, whatever the thread).</summary>
    public string RateKey => $"{ChannelId}|{TeamsChannelId ?? ConversationId ?? "user:" + User?.Id}";
}

/// <summary>What a delivery produced: the conversation and the activity id the channel gave the message.</summary>
public sealed record Delivered(string ConversationId, string ActivityId, string ServiceUrl, bool CreatedPersonal);

/// <summary>Resolves a notice's recipient to a conversation, and talks to the Connector for it (PROTOCOL §2, §4).</summary>
public sealed class NoticeDelivery(IConnector connector)
{
    /// <summary>The target, or why there is none (kept as the parking reason).</summary>
    public static async Task<(DeliveryTarget? Target, string? Problem)> ResolveAsync(RolloutDb db, Notice notice, CancellationToken ct)
    {
        var to = NoticeRecipient.Parse(notice.Recipient);
        if (to.IsChannel)
        {
            var binding = await db.ChannelBindings.AsNoTracking()
                .FirstOrDefaultAsync(b => b.Purpose == to.Value && b.Stack == to.Stack, ct);
            if (binding is null)
                return (null, $"no conversation is bound to {NoticePurposes.Label(to.Value, to.Stack)} — a coordinator must type " +
                    $"`/channel bind {NoticePurposes.Label(to.Value, to.Stack)}` in the conversation that should get these notices");
            var stored = await db.Conversations.AsNoTracking()
                .FirstOrDefaultAsync(c => c.ChannelId == binding.ChannelId && c.ConversationId == binding.ConversationId, ct);
            if (stored is null) return (null, $"the conversation bound to {binding.Label} is no longer known — bind it again");
            var reference = stored.Reference;
            var mode = binding.TeamsChannelId is not null ? DeliveryMode.NewTeamsThread : DeliveryMode.Send;
            return (new DeliveryTarget(mode, binding.ChannelId, stored.ServiceUrl, binding.ConversationId,
                binding.TenantId ?? stored.TenantId, reference.Bot, null, binding.TeamsChannelId), null);
        }
        if (to.IsUser)
        {
            var person = await db.UserConversations.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == to.Value, ct);
            var user = new ChannelAccount { Id = to.Value, Name = person?.UserName };
            var bot = person is null ? null : new ChannelAccount { Id = person.BotId, Name = person.BotName };
            if (person?.ConversationId is not null)
                return (new DeliveryTarget(DeliveryMode.Send, person.ChannelId, person.ServiceUrl, person.ConversationId, person.TenantId, bot, user), null);
            if (person is not null && person.ChannelId == PersonalConversations.Teams)
                return (new DeliveryTarget(DeliveryMode.CreatePersonal, person.ChannelId, person.ServiceUrl, null, person.TenantId, bot, user), null);
            return (null, $"no conversation known for user {to.Value} — they must write to the bot once");
        }
        var copy = await db.PostedCards.AsNoTracking().FirstOrDefaultAsync(c => c.Id == notice.PostedCardId, ct);
        if (copy is null) return (null, $"the posted card copy {to.Value} is no longer known");
        return (new DeliveryTarget(DeliveryMode.Update, copy.ChannelId, copy.ServiceUrl, copy.ConversationId, null, null, null,
            ActivityId: copy.ActivityId), null);
    }

    public async Task<Delivered> DeliverAsync(DeliveryTarget target, Activity activity, CancellationToken ct)
    {
        activity.ChannelId = target.ChannelId;
        activity.ServiceUrl = target.ServiceUrl;
        activity.From ??= target.Bot;
        activity.Recipient ??= target.User;
        switch (target.Mode)
        {
            case DeliveryMode.NewTeamsThread:
            {
                // Each notice starts its own thread in the bound Teams channel (PROTOCOL §4: new thread).
                var created = await connector.CreateConversationAsync(target.ServiceUrl, new ConversationParameters
                {
                    IsGroup = true, Bot = target.Bot, TenantId = target.TenantId, Activity = activity,
                    ChannelData = ProtocolJson.ToElement(new { channel = new { id = target.TeamsChannelId } }),
                }, ct);
                return new Delivered(created.Id ?? target.ConversationId!, created.ActivityId ?? "", created.ServiceUrl ?? target.ServiceUrl, false);
            }
            case DeliveryMode.CreatePersonal:
            {
                var created = await connector.CreateConversationAsync(target.ServiceUrl, new ConversationParameters
                {
                    IsGroup = false, Bot = target.Bot, Members = [target.User!], TenantId = target.TenantId,
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
}
