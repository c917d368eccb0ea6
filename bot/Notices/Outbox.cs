using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>
/// Queues notices in the caller's DbContext: nothing is sent and nothing is saved here. The caller's SaveChanges
/// commits the notice together with the change that caused it, and wakes the dispatcher once it has committed.
/// Keys name what a notice is about, e.g. <c>ticket:42:verified</c>; a card that changes in place is named by its
/// card key, e.g. <c>ticket:42</c> for the ticket's status card, and updated with <see cref="AddCardUpdateAsync"/>.
/// Delivery is at least once per (key, recipient) and, except for a crash inside one HTTP send, exactly once;
/// notices to one conversation keep their order unless one of them has to be retried.
/// </summary>
public sealed partial class Outbox(TimeProvider clock, OutboxSignal signal)
{
    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="to"/> unless a notice with this key was already queued
    /// for that recipient (then returns false and adds nothing). <paramref name="cardKey"/> names the card the message
    /// carries, so <see cref="AddCardUpdateAsync"/> can later replace every copy of it.
    /// </summary>
    public async Task<bool> AddAsync(RolloutDb db, string key, NoticeRecipient to, BotMessage message, string? cardKey = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (to.IsChannel) await AddMailCopiesAsync(db, key, to, message, ct);
        return await AddOneAsync(db, key, to, message, cardKey, ct);
    }

    private async Task<bool> AddOneAsync(RolloutDb db, string key, NoticeRecipient to, BotMessage message, string? cardKey, CancellationToken ct)
    {
        var recipient = to.ToString();
        if (QueuedInThisContext(db, key, recipient)) return false;
        if (await db.Notices.AnyAsync(n => n.DedupeKey == key && n.Recipient == recipient, ct)) return false;

        var now = clock.GetUtcNow();
        db.Notices.Add(new Notice
        {
            DedupeKey = key, Recipient = recipient, Kind = NoticeKind.Send, CardKey = cardKey, PayloadJson = Payload(message),
            State = NoticeState.Pending, NextAttemptAt = now, CreatedAt = now,
        });
        (db.NoticeRecipients ??= new HashSet<string>(StringComparer.Ordinal)).Add(recipient);
        WakeAfterCommit(db);
        return true;
    }

    /// <summary>
    /// The addresses bound to the channel's purpose get the notice too, each as a notice of its own (sent, retried and
    /// parked on its own, shown by /outbox). A list never gets a security notice (<see cref="Mail.MailBinding.MayCarry"/>).
    /// </summary>
    private async Task AddMailCopiesAsync(RolloutDb db, string key, NoticeRecipient channel, BotMessage message, CancellationToken ct)
    {
        var bound = await db.MailBindings.AsNoTracking().Where(b => b.Purpose == channel.Value && b.Stack == channel.Stack).ToListAsync(ct);
        foreach (var binding in bound.Where(b => Mail.MailBinding.MayCarry(b.Purpose, b.IsList)))
            await AddOneAsync(db, key, NoticeRecipient.Mail(binding.Address), message, null, ct);
    }

    public Task<bool> AddAsync(RolloutDb db, string key, NoticeRecipient to, string text, CancellationToken ct = default) =>
        AddAsync(db, key, to, new BotMessage { Text = text }, null, ct);


    /// <summary>
    /// Sends the parked notices of a recipient again, now that it can be reached (a conversation was bound, or the
    /// person wrote to the bot). Saves at once, in the caller's transaction if it has one.
    /// </summary>
    public async Task<int> RequeueParkedAsync(RolloutDb db, NoticeRecipient to, CancellationToken ct)
    {
        var recipient = to.ToString();
        var now = clock.GetUtcNow();
        var parked = await db.Notices.Where(n => n.Recipient == recipient && n.State == NoticeState.Parked).ToListAsync(ct);
        foreach (var notice in parked) notice.Requeue(now);
        if (parked.Count == 0) return 0;
        await db.SaveChangesAsync(ct);
        db.AfterCommit(signal.Wake);
        return parked.Count;
    }

    /// <summary>Sends a parked notice again (a coordinator's retry); it goes once the caller's change commits.</summary>
    public void Retry(RolloutDb db, Notice notice)
    {
        notice.Requeue(clock.GetUtcNow());
        db.NoticesNeedFullRound = true;
        WakeAfterCommit(db);
    }

    /// <summary>
    /// Added in this context but not saved yet. Added entities are found without DetectChanges (which DbSet.Local runs,
    /// making many adds in one transaction quadratic).
    /// </summary>
    private static bool QueuedInThisContext(RolloutDb db, string key, string recipient)
    {
        var auto = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries<Notice>()
                .Any(e => e.State == EntityState.Added && e.Entity.DedupeKey == key && e.Entity.Recipient == recipient);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = auto;
        }
    }

    internal static string Payload(BotMessage message)
    {
        if (message.IsEmpty) throw new ArgumentException("A notice needs text or a card.", nameof(message));
        return message.ToJson();
    }

    private void WakeAfterCommit(RolloutDb db)
    {
        // Remove-then-add keeps a single handler per context, pooled contexts included; should a pooled context keep
        // it after reuse, the cost is an extra, empty dispatcher round.
        db.SavedChanges -= signal.OnSavedChanges;
        db.SavedChanges += signal.OnSavedChanges;
    }
}

/// <summary>Sends again what was parked for a person because nobody knew where to reach them, once they can be reached.</summary>
public sealed class ParkedForPerson(IDbContextFactory<RolloutDb> dbs, Outbox outbox) : IReachabilityListener
{
    public async Task OnReachableAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await outbox.RequeueParkedAsync(db, NoticeRecipient.User(userId), ct);
    }
}
