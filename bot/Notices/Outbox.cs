using System.Collections.Concurrent;
using System.Threading.Channels;
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
public sealed class Outbox(TimeProvider clock, OutboxSignal signal)
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
            var recipient = NoticeRecipient.Copy(copyId).ToString();
            if (!existing.TryGetValue(recipient, out var update))
            {
                update = new Notice
                {
                    DedupeKey = key, Recipient = recipient, Kind = NoticeKind.Update, CardKey = cardKey, PostedCardId = copyId,
                    PayloadJson = payload, CreatedAt = now,
                };
                db.Notices.Add(update);
            }
            Rearm(update, payload, now);
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
            var update = new Notice
            {
                DedupeKey = key, Recipient = NoticeRecipient.Copy(copy.Id).ToString(), Kind = NoticeKind.Update, CardKey = cardKey,
                PostedCardId = copy.Id, PayloadJson = latest, CreatedAt = now,
            };
            Rearm(update, latest, now);
            db.Notices.Add(update);
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

    internal static string UpdateKey(string cardKey) => cardKey + "#update";

    /// <summary>An update notice carries the latest content; whatever it was doing, it now has to PUT that.</summary>
    internal static void Rearm(Notice update, string payload, DateTimeOffset now)
    {
        update.PayloadJson = payload;
        update.Requeue(now);
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

/// <summary>
/// Wakes the dispatcher as soon as queued notices have committed, so it need not wait for its next poll. A wake names
/// the recipients whose notices committed, when that is all that happened: the dispatcher then looks at those
/// recipients only, and not at all at one whose queue it already holds or knows to be waiting (a burst of comments to
/// one busy conversation costs it nothing per commit). <see cref="Wake"/> asks for a full round.
/// </summary>
public sealed class OutboxSignal
{
    /// <summary>Past this many named recipients between two rounds, a full round is cheaper than naming them.</summary>
    internal const int MaxNamed = 256;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, byte> _named = new(StringComparer.Ordinal);
    private int _full;

    public void Wake()
    {
        Volatile.Write(ref _full, 1);
        _wake.Writer.TryWrite(true);
    }

    public void WakeFor(IEnumerable<string> recipients)
    {
        foreach (var recipient in recipients)
        {
            if (_named.Count >= MaxNamed)
            {
                Volatile.Write(ref _full, 1);
                break;
            }
            _named.TryAdd(recipient, 0);
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>What was asked for since the last call: a full round, and the recipients named.</summary>
    internal (bool Full, IReadOnlyList<string> Recipients) Take()
    {
        var full = Interlocked.Exchange(ref _full, 0) == 1;
        if (_named.IsEmpty) return (full, []);
        var named = new List<string>(_named.Count);
        foreach (var recipient in _named.Keys)
            if (_named.TryRemove(recipient, out _)) named.Add(recipient);
        return (full, named);
    }

    private Action? _wakeAction;

    /// <summary>
    /// After SaveChanges the rows are written but, inside a command's transaction, not yet committed: a dispatcher woken
    /// then finds nothing and sleeps until its next poll. So the wake waits for the commit.
    /// </summary>
    internal void OnSavedChanges(object? sender, SavedChangesEventArgs e)
    {
        if (sender is not RolloutDb db)
        {
            Wake();
            return;
        }
        // Nothing flagged: a pooled context that kept this handler from an earlier use, saving something else.
        var recipients = db.NoticeRecipients;
        var full = db.NoticesNeedFullRound;
        db.NoticeRecipients = null;
        db.NoticesNeedFullRound = false;
        if (full) db.AfterCommit(_wakeAction ??= Wake);
        if (recipients is { Count: > 0 }) db.AfterCommit(() => WakeFor(recipients));
    }

    /// <summary>Returns when woken or after <paramref name="timeout"/>, whichever is first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _wake.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
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
