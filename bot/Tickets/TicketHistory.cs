using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// One change to a ticket: who, when, what, from → to, why, as people read it, and the same change typed
/// (<see cref="Kind"/> and <see cref="Payload"/>) for code. Only ever appended, only ever written by <see cref="Of"/>.
/// </summary>
public sealed class TicketHistory
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string What { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Reason { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }

    /// <summary>The change this row records.</summary>
    public TicketChange Change => TicketChange.FromJson(Payload) ?? new Noted(What);

    /// <summary>The history row of a change: the sentence people read is written here and nowhere else.</summary>
    public static TicketHistory Of(TicketChange change, Actor by, DateTimeOffset at)
    {
        var (what, from, to, reason) = change switch
        {
            TicketOpened => ("created", null, TicketState.Certified.ToName(), null),
            StateMoved m => ("state", m.From.ToName(), m.To.ToName(), m.Reason),
            PullFailed f => ("package pull failed", null, null, f.Reason),
            RepositorySet r => ("repository", r.Previous, r.Url, null),
            SiteAccepted a => ("site accepted", null, a.Site, null),
            SiteReported r => ($"site {r.Site} done", "accepted", $"done ({r.Outcome.ToName()})", r.Notes),
            SiteWithdrawn w => ($"site {w.Site} withdrawn", "accepted", "withdrawn", w.Reason),
            OutcomeSet o => ("outcome", null, o.Outcome.ToName(), o.Summary),
            EmergencySkipped e => ("staged rollout skipped (emergency)", null, Outcome.Success.ToName(), e.Reason),
            Commented => ("comment", null, null, null),
            AcceptanceSnoozed s => ("acceptance snoozed", null, s.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Reason),
            Disclosed => ("disclosed", null, TicketCommand.When(at), null),
            TargetMissed t => ("target-missed", null, t.Step, t.Due is { } due ? $"Table 3 target {TicketCommand.When(due)}" : null),
            ProductionRepositorySet p => ("production repository", p.Previous, p.Url, null),
            SiteAsked a => ("site asked", null, a.Site, a.Note),
            SiteDeclined d => ($"site {d.Site} declined", null, "not this time", d.Reason),
            PartnersCalled c => ("call for partners", null, string.Join(", ", c.Sites), c.Note),
            FrequencyExceeded f => ("release frequency", null, $"#{f.Previous}", $"§2.2: {f.Rule}; #{f.Previous} was opened {TicketCommand.When(f.PreviousAt)}"),
            TicketEdited e => ($"edited {e.Field}", e.From ?? "not set", e.To ?? "not set", null),
            Noted n => (n.What, null, null, null),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "A ticket change without a history sentence."),
        };
        return new TicketHistory
        {
            At = at, ByUserId = by.UserId, ByName = by.Name, What = what, From = from, To = to, Reason = reason,
            Kind = change.StoredKind, Payload = change.ToJson(),
        };
    }

    internal static void Map(ModelBuilder model) => model.Entity<TicketHistory>(e =>
    {
        e.ToTable("ticket_history");
        e.HasKey(h => h.Id);
        e.Property(h => h.From).HasColumnName("from_value");
        e.Property(h => h.To).HasColumnName("to_value");
        e.HasIndex(h => h.TicketId);
        e.Ignore(h => h.Change);
    });
}

/// <summary>A remark on a ticket by anyone who can see it.</summary>
public sealed class TicketComment
{
    public long Id { get; set; }
    public long TicketId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string Text { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<TicketComment>(e =>
    {
        e.ToTable("ticket_comments");
        e.HasKey(c => c.Id);
        e.HasIndex(c => c.TicketId);
    });
}
