using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Notices;

public enum NoticeState { Pending, Sent, Parked }

public enum NoticeKind { Send, Update }

/// <summary>
/// One outgoing notice in the outbox, written in the same transaction as the change that caused it and sent later
/// by the dispatcher. (DedupeKey, Recipient) is unique: the same notice is queued once and sent once. An Update
/// notice PUTs one posted copy of a card in place; it is re-armed when the card changes again.
/// </summary>
public sealed class Notice
{
    public long Id { get; set; }
    public required string DedupeKey { get; set; }
    public required string Recipient { get; set; }
    public NoticeKind Kind { get; set; }
    public string? CardKey { get; set; }
    public long? PostedCardId { get; set; }
    /// <summary>The activity (text and/or attachments) as ProtocolJson; conversation and ids are filled at send time.</summary>
    public required string PayloadJson { get; set; }
    public NoticeState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? SentActivityId { get; set; }
    public string? SentConversationId { get; set; }

    /// <summary>Makes the notice due again from scratch (a retry, a parked notice whose recipient can now be reached, a card changed again).</summary>
    public void Requeue(DateTimeOffset now)
    {
        State = NoticeState.Pending;
        Attempts = 0;
        LastError = null;
        NextAttemptAt = now;
        SentAt = null;
        // A notice being sent right now must not be marked sent with older content: dropping the claim makes the
        // dispatcher's finish step see that it lost it.
        ClaimedBy = null;
        ClaimExpiresAt = null;
    }

    internal static void Map(ModelBuilder model) => model.Entity<Notice>(e =>
    {
        e.ToTable("notices");
        e.HasKey(n => n.Id);
        e.Property(n => n.Kind).HasConversion(k => k == NoticeKind.Update ? "update" : "send",
            s => s == "update" ? NoticeKind.Update : NoticeKind.Send);
        // A concurrency token: the dispatcher recording a send notices when a card update rewrote the content meanwhile.
        e.Property(n => n.PayloadJson).IsConcurrencyToken();
        e.Property(n => n.State).HasConversion(s => s.ToString().ToLowerInvariant(), s => ParseState(s));
        e.HasIndex(n => new { n.DedupeKey, n.Recipient }).IsUnique();
        e.HasIndex(n => new { n.State, n.NextAttemptAt });
        e.HasIndex(n => n.CardKey);
    });

    // internal: the compiled model (Storage/CompiledModels) calls the converters it was mapped with.
    internal static NoticeState ParseState(string s) => s switch
    {
        "pending" => NoticeState.Pending,
        "sent" => NoticeState.Sent,
        "parked" => NoticeState.Parked,
        _ => throw new InvalidOperationException($"Unknown notice state '{s}' in notices."),
    };
}

/// <summary>A copy of a card as it was posted, so later changes of the card can be PUT over every copy.</summary>
public sealed class PostedCard
{
    public long Id { get; set; }
    public required string CardKey { get; set; }
    public required string ChannelId { get; set; }
    public required string ConversationId { get; set; }
    public required string ServiceUrl { get; set; }
    public required string ActivityId { get; set; }
    public long NoticeId { get; set; }
    public DateTimeOffset PostedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<PostedCard>(e =>
    {
        e.ToTable("posted_cards");
        e.HasKey(c => c.Id);
        e.HasIndex(c => c.CardKey);
    });
}
