using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>Cards that change in place: every copy of a card that reached a channel is known and updated.</summary>
public sealed partial class Outbox
{
    /// <summary>
    /// Replaces the card <paramref name="cardKey"/> everywhere with <paramref name="card"/>: copies already posted are
    /// PUT in place (one update notice per copy, re-armed on every change); copies not yet sent go out with the new
    /// content. Returns how many posted copies will be updated.
    /// </summary>
    public async Task<int> AddCardUpdateAsync(RolloutDb db, string cardKey, BotMessage card, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cardKey);
        var payload = Payload(card);
        var now = clock.GetUtcNow();

        var unsent = await db.Notices
            .Where(n => n.CardKey == cardKey && n.Kind == NoticeKind.Send && n.State != NoticeState.Sent).ToListAsync(ct);
        var added = db.ChangeTracker.Entries<Notice>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)
            .Where(n => n.CardKey == cardKey && n.Kind == NoticeKind.Send);
        foreach (var notice in unsent.Concat(added).ToList()) notice.PayloadJson = payload;

        var copies = await db.PostedCards.AsNoTracking().Where(c => c.CardKey == cardKey).Select(c => c.Id).ToListAsync(ct);
        var key = UpdateKey(cardKey);
        var existing = await db.Notices.Where(n => n.DedupeKey == key && n.Kind == NoticeKind.Update)
            .ToDictionaryAsync(n => n.Recipient, ct);
        foreach (var copyId in copies)
        {
            if (existing.TryGetValue(NoticeRecipient.Copy(copyId).ToString(), out var update)) Rearm(update, payload, now);
            else db.Notices.Add(NewUpdate(cardKey, copyId, payload, now));
        }
        db.NoticesNeedFullRound = true;
        WakeAfterCommit(db);
        return copies.Count;
    }

    /// <summary>
    /// Tracks a copy of card <paramref name="cardKey"/> that reached a channel without the bot recording it: the process
    /// died between the channel taking the card and the bot writing down its answer, so the notice went again and the
    /// first copy was never known. Nothing in the Connector lists a conversation's messages, so the copy is found the
    /// first time someone touches it: a click on it, or Teams asking for a refresh when a listed person looks at it,
    /// names the message (<see cref="Conversation.ChatFacts.ClickedActivityId"/>). From then on every change of the card
    /// updates it too, and if the card changed since, it is updated at once.
    /// The click is the client's word, so a copy is adopted only where this card was delivered (the conversation, or
    /// for a Teams channel any thread of that channel) and once per notice at most (one crash, one extra copy); the
    /// worst a forged click can do is have the bot update its own message there with a card that conversation was sent.
    /// Saves at once (the caller is a read-only command). Returns whether a copy was adopted.
    /// </summary>
    public async Task<bool> AdoptCopyAsync(RolloutDb db, Conversation.ChatFacts chat, string cardKey, CancellationToken ct)
    {
        if (chat.ClickedActivityId is not { Length: > 0 and <= 256 } activityId || string.IsNullOrEmpty(chat.ServiceUrl)) return false;
        if (await db.PostedCards.AsNoTracking().AnyAsync(c => c.ActivityId == activityId && c.ConversationId == chat.ConversationId, ct)) return false;

        var here = ChannelOf(chat.ConversationId);
        var delivered = await db.Notices.AsNoTracking()
            .Where(n => n.CardKey == cardKey && n.Kind == NoticeKind.Send && n.State == NoticeState.Sent && n.SentConversationId != null)
            .Select(n => new { n.Id, n.SentConversationId, Copies = db.PostedCards.Count(c => c.NoticeId == n.Id) }).ToListAsync(ct);
        var notice = delivered.FirstOrDefault(n => n.Copies < 2 && ChannelOf(n.SentConversationId!) == here);
        if (notice is null) return false;

        var now = clock.GetUtcNow();
        using var writer = await db.WriterAsync(ct);
        var copy = new PostedCard
        {
            CardKey = cardKey, ChannelId = chat.ChannelId, ConversationId = chat.ConversationId, ServiceUrl = chat.ServiceUrl!,
            ActivityId = activityId, NoticeId = notice.Id, PostedAt = now,
        };
        db.PostedCards.Add(copy);
        await db.SaveChangesAsync(ct);
        // Every update notice of a card is re-armed with the newest content on each change: any one of them has it.
        var key = UpdateKey(cardKey);
        var latest = await db.Notices.AsNoTracking().Where(n => n.DedupeKey == key && n.Kind == NoticeKind.Update)
            .OrderByDescending(n => n.Id).Select(n => n.PayloadJson).FirstOrDefaultAsync(ct);
        if (latest is not null)
        {
            db.Notices.Add(NewUpdate(cardKey, copy.Id, latest, now));
            await db.SaveChangesAsync(ct);
            signal.Wake();
        }
        return true;
    }

    /// <summary>A Teams channel's threads are conversations of their own ("…;messageid=N"); a card posted there belongs to the channel.</summary>
    private static string ChannelOf(string conversationId)
    {
        var thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return thread < 0 ? conversationId : conversationId[..thread];
    }

    internal static string UpdateKey(string cardKey) => cardKey + "#update";

    /// <summary>The notice that PUTs <paramref name="payload"/> over one posted copy of a card, due now.</summary>
    internal static Notice NewUpdate(string cardKey, long copyId, string payload, DateTimeOffset now)
    {
        var update = new Notice
        {
            DedupeKey = UpdateKey(cardKey), Recipient = NoticeRecipient.Copy(copyId).ToString(), Kind = NoticeKind.Update,
            CardKey = cardKey, PostedCardId = copyId, PayloadJson = payload, CreatedAt = now,
        };
        Rearm(update, payload, now);
        return update;
    }

    /// <summary>An update notice carries the latest content; whatever it was doing, it now has to PUT that.</summary>
    internal static void Rearm(Notice update, string payload, DateTimeOffset now)
    {
        update.PayloadJson = payload;
        update.Requeue(now);
    }
}
