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
            var route = (await PeopleAsync(db, [to.Value], ct))[to.Value];
            return route is null ? (null, $"no conversation known for user {to.Value} — they must write to the bot once") : (route, null);
        }
        var copy = await db.PostedCards.AsNoTracking().FirstOrDefaultAsync(c => c.Id == notice.PostedCardId, ct);
        if (copy is null) return (null, $"the posted card copy {to.Value} is no longer known");
        return (new DeliveryTarget(DeliveryMode.Update, copy.ChannelId, copy.ServiceUrl, copy.ConversationId, null, null, null,
            ActivityId: copy.ActivityId), null);
    }

    /// <summary>
    /// Where each person can be reached, or null when nowhere: their personal chat once they wrote in one; else, on
    /// Teams, a personal chat the bot creates (PROTOCOL §4), for someone seen in a team or, never heard at all, by
    /// their Teams id (29:…) in the tenant of a Teams conversation the bot is in.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, DeliveryTarget?>> PeopleAsync(RolloutDb db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var rows = await db.UserConversations.AsNoTracking().Where(u => userIds.Contains(u.UserId)).ToDictionaryAsync(u => u.UserId, ct);
        StoredConversation? teams = null;
        if (userIds.Any(id => !rows.ContainsKey(id) && IsTeamsUserId(id)))
            teams = await db.Conversations.AsNoTracking().Where(c => c.ChannelId == PersonalConversations.Teams && c.TenantId != null)
                .OrderByDescending(c => c.UpdatedAt).FirstOrDefaultAsync(ct);
        var routes = new Dictionary<string, DeliveryTarget?>();
        foreach (var id in userIds.Distinct())
        {
            if (rows.TryGetValue(id, out var person))
            {
                var user = new Person(id, person.UserName);
                var bot = person.BotId is { } botId ? new Person(botId, person.BotName) : null;
                routes[id] = person.ConversationId is not null
                    ? new DeliveryTarget(DeliveryMode.Send, person.ChannelId, person.ServiceUrl, person.ConversationId, person.TenantId, bot, user)
                    : person.ChannelId == PersonalConversations.Teams
                        ? new DeliveryTarget(DeliveryMode.CreatePersonal, person.ChannelId, person.ServiceUrl, null, person.TenantId, bot, user)
                        : null;
            }
            else
            {
                routes[id] = teams is not null && IsTeamsUserId(id)
                    ? new DeliveryTarget(DeliveryMode.CreatePersonal, teams.ChannelId, teams.ServiceUrl, null, teams.TenantId, teams.Bot, new Person(id))
                    : null;
            }
        }
        return routes;
    }

    /// <summary>Teams user ids are "29:" followed by the user's id in the bot's scope.</summary>
    private static bool IsTeamsUserId(string id) => id.StartsWith("29:", StringComparison.Ordinal);
}
