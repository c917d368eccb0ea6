using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

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
        e.Property(g => g.Role).HasConversion(RoleToName);
        e.HasIndex(g => g.UserId);
    });

    /// <summary>Roles are stored by name; one converter for every table that stores one, so their queries can be combined.</summary>
    public static readonly ValueConverter<Role, string> RoleToName = new(r => r.ToName(), s => Parse(s));

    // internal: the compiled model (Storage/CompiledModels) calls the converters it was mapped with.
    internal static Role Parse(string name) =>
        RoleNames.TryParse(name, out var role) ? role : throw new InvalidOperationException($"Unknown role '{name}' in role_grants.");
}
