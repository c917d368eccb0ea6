using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary>How the dispatcher writes down each outcome; every write is conditional on still holding the claim.</summary>
public sealed partial class OutboxDispatcher
{
    private async Task RecordSentAsync(Notice notice, DeliveryTarget target, Delivered delivered, string token)
    {
        // Not the caller's token: once the channel has the message, recording it must not be abandoned half-way.
        if (notice.Kind == NoticeKind.Send && notice.CardKey is null && !delivered.CreatedPersonal)
        {
            // A plain message (no card copy to track, no conversation to remember): one statement, the first thing done.
            await using var plain = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            using var plainWriter = await plain.WriterAsync(CancellationToken.None);
            var now = clock.GetUtcNow();
            await plain.Notices.Where(n => n.Id == notice.Id).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.State, NoticeState.Sent).SetProperty(n => n.SentAt, now)
                .SetProperty(n => n.SentActivityId, delivered.ActivityId).SetProperty(n => n.SentConversationId, delivered.ConversationId)
                .SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null)
                .SetProperty(n => n.LastError, (string?)null), CancellationToken.None);
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            using var writer = await db.WriterAsync(CancellationToken.None);
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var row = await db.Notices.FirstAsync(n => n.Id == notice.Id, CancellationToken.None);
            var changedMeanwhile = row.PayloadJson != notice.PayloadJson;
            if (notice.Kind == NoticeKind.Update && (changedMeanwhile || row.ClaimedBy != token))
            {
                return; // The card changed while this PUT was under way: the re-armed update will PUT the newer content.
            }
            var now = clock.GetUtcNow();
            row.State = NoticeState.Sent;
            row.SentAt = now;
            row.SentActivityId = delivered.ActivityId;
            row.SentConversationId = delivered.ConversationId;
            row.ClaimedBy = null;
            row.ClaimExpiresAt = null;
            row.LastError = null;
            if (delivered.CreatedPersonal && target.User?.Id is { } userId)
            {
                var person = await db.UserConversations.FirstOrDefaultAsync(u => u.UserId == userId, CancellationToken.None);
                if (person is not null && person.ConversationId is null) person.ConversationId = delivered.ConversationId;
            }
            PostedCard? copy = null;
            if (notice.Kind == NoticeKind.Send && notice.CardKey is not null && delivered.ActivityId.Length > 0)
            {
                copy = new PostedCard
                {
                    CardKey = notice.CardKey, ChannelId = target.ChannelId, ConversationId = delivered.ConversationId,
                    ServiceUrl = delivered.ServiceUrl, ActivityId = delivered.ActivityId, NoticeId = row.Id, PostedAt = now,
                };
                db.PostedCards.Add(copy);
            }
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                if (copy is not null && changedMeanwhile)
                {
                    // The card was updated after this copy's content was read: PUT the newer content over it.
                    db.Notices.Add(Outbox.NewUpdate(copy.CardKey, copy.Id, row.PayloadJson, now));
                    await db.SaveChangesAsync(CancellationToken.None);
                }
                await tx.CommitAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // AddCardUpdate rewrote the payload between our read and our write: read again and record against it.
                await tx.RollbackAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// A failed attempt: due again after the channel's Retry-After when it gave one, else after the backoff. Returns when,
    /// so the lane holds the recipient's later notices back until then.
    /// </summary>
    private async Task<(Outcome, DateTimeOffset?, Delivered?)> FailAsync(Notice notice, string token, string reason, TimeSpan? retryAfter = null,
        bool throttled = false)
    {
        var attempts = notice.Attempts + 1;
        if (attempts >= (throttled ? Math.Max(_options.MaxThrottledAttempts, _options.MaxAttempts) : _options.MaxAttempts))
            return (await ParkAsync(notice, token, $"gave up after {attempts} failed attempts; last: {reason}", CancellationToken.None, attempts), null, null);

        meters.Notices(sent: 0, retried: 1, parked: 0);
        var retryAt = clock.GetUtcNow() + (retryAfter is { } asked && asked > TimeSpan.Zero
            ? (asked < _options.MaxBackoff ? asked : _options.MaxBackoff)
            : Backoff(attempts));
        logger.LogInformation("Notice {Id} failed ({Reason}); attempt {Attempt} of {Max}, retrying at {RetryAt}",
            notice.Id, reason, attempts, _options.MaxAttempts, retryAt);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        using var writer = await db.WriterAsync(CancellationToken.None);
        WaitingUntil(notice.Recipient, retryAt);
        await db.Notices.Where(n => n.Id == notice.Id && n.ClaimedBy == token).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Attempts, attempts).SetProperty(n => n.LastError, reason).SetProperty(n => n.NextAttemptAt, retryAt)
            .SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
        return (Outcome.Retrying, retryAt, null);
    }

    private async Task<Outcome> ParkAsync(Notice notice, string token, string reason, CancellationToken ct, int? attempts = null)
    {
        logger.LogWarning("Notice {Id} ({Key} to {Recipient}) parked: {Reason}", notice.Id, notice.DedupeKey, notice.Recipient, reason);
        meters.Notices(sent: 0, retried: 0, parked: 1);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        using var writer = await db.WriterAsync(CancellationToken.None);
        await db.Notices.Where(n => n.Id == notice.Id && n.ClaimedBy == token).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.State, NoticeState.Parked).SetProperty(n => n.LastError, reason)
            .SetProperty(n => n.Attempts, attempts ?? notice.Attempts)
            .SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
        return Outcome.Parked;
    }

    /// <summary>
    /// Not now, without counting a failure: the conversation's rate limit is used up, or an earlier notice to the same
    /// recipient waits for its retry. Due again at <paramref name="freeAt"/>.
    /// </summary>
    private async Task<Outcome> DeferAsync(Notice notice, string token, DateTimeOffset freeAt, CancellationToken ct)
    {
        WaitingUntil(notice.Recipient, freeAt);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var writer = await db.WriterAsync(ct);
        await db.Notices.Where(n => n.Id == notice.Id && n.ClaimedBy == token).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.NextAttemptAt, freeAt)
            .SetProperty(n => n.ClaimedBy, (string?)null).SetProperty(n => n.ClaimExpiresAt, (DateTimeOffset?)null), ct);
        return Outcome.Deferred;
    }

    /// <summary>Exponential (base × 2^(n−1)), capped, with ±20 % jitter so that many failed notices do not retry in step.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var exponential = _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var capped = Math.Min(exponential, _options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }
}
