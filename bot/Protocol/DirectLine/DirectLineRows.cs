using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>A conversation of the local Direct Line channel; its members are kept as the JSON of their accounts.</summary>
public sealed class DirectLineConversationRow
{
    public required string ConversationId { get; set; }
    public string? Name { get; set; }
    public bool IsGroup { get; set; }
    public required string MembersJson { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<DirectLineConversationRow>(e =>
    {
        e.ToTable("dl_conversations");
        e.HasKey(c => c.ConversationId);
    });
}

/// <summary>One activity as clients receive it; <see cref="Seq"/> is its watermark, <see cref="Json"/> null once deleted.</summary>
public sealed class DirectLineActivityRow
{
    public required string ConversationId { get; set; }
    public required string ActivityId { get; set; }
    public long Seq { get; set; }
    public string? Json { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<DirectLineActivityRow>(e =>
    {
        e.ToTable("dl_activities");
        e.HasKey(a => new { a.ConversationId, a.ActivityId });
        e.HasIndex(a => new { a.ConversationId, a.Seq }).IsUnique();
    });
}
