using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>One change to a ticket: who, when, what, from → to, why. Only ever appended.</summary>
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

    public static TicketHistory Of(Caller by, DateTimeOffset at, string what, string? from, string? to, string? reason) =>
        new() { At = at, ByUserId = by.UserId, ByName = by.Name, What = what, From = from, To = to, Reason = reason };

    internal static void Map(ModelBuilder model) => model.Entity<TicketHistory>(e =>
    {
        e.ToTable("ticket_history");
        e.HasKey(h => h.Id);
        e.Property(h => h.From).HasColumnName("from_value");
        e.Property(h => h.To).HasColumnName("to_value");
        e.HasIndex(h => h.TicketId);
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
