using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>Resolves a notice's recipient to where Protocol delivers it, from bindings, personal conversations or posted copies.</summary>
public static class NoticeDelivery
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
            var mode = binding.TeamsChannelId is not null ? DeliveryMode.NewTeamsThread : DeliveryMode.Send;
            return (new DeliveryTarget(mode, binding.ChannelId, stored.ServiceUrl, binding.ConversationId,
                binding.TenantId ?? stored.TenantId, stored.Bot, null, binding.TeamsChannelId), null);
        }
        if (to.IsMail)
            return (new DeliveryTarget(DeliveryMode.Mail, "mail", "smtp", to.Value, null, null, null), null);
        if (to.IsUser)
        {
            var person = await db.UserConversations.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == to.Value, ct);
            var user = new Person(to.Value, person?.UserName);
            var bot = person?.BotId is { } botId ? new Person(botId, person.BotName) : null;
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
}
