using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.Conversation;

/// <summary>A role given to a chat user by a coordinator. Revoking sets RevokedAt: grants are history, never deleted.</summary>
public sealed class RoleGrant
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required Role Role { get; set; }
    public required string GrantedBy { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<RoleGrant>(e =>
    {
        e.ToTable("role_grants");
        e.HasKey(g => g.Id);
        e.Property(g => g.Role).HasConversion(r => r.ToName(), s => Parse(s));
        e.HasIndex(g => g.UserId);
    });

    private static Role Parse(string name) =>
        RoleNames.TryParse(name, out var role) ? role : throw new InvalidOperationException($"Unknown role '{name}' in role_grants.");
}
