using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Identity;

/// <summary>
/// A role the identity provider gave a person at their last sign-in (their group claim held the configured group). Kept
/// apart from <see cref="RoleGrant"/>: these are not granted or revoked in chat, they are replaced at every sign-in.
/// </summary>
public sealed class SignInRole
{
    public required string UserId { get; set; }
    public required Role Role { get; set; }
    /// <summary>The group (claim value) that gave the role, for /whoami-style questions and audits.</summary>
    public required string FromGroup { get; set; }
    public DateTimeOffset SignedInAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<SignInRole>(e =>
    {
        e.ToTable("sign_in_roles");
        e.HasKey(r => new { r.UserId, r.Role });
        e.Property(r => r.Role).HasConversion(RoleGrant.RoleToName);
    });
}

public static class SignInRoles
{
    /// <summary>Replaces what the person's last sign-in gave them with what this one gives (nothing, when no group matched).</summary>
    public static async Task ReplaceAsync(RolloutDb db, string userId, IReadOnlyDictionary<Role, string> roles, DateTimeOffset now, CancellationToken ct)
    {
        // Two tabs signing the same person in at once may both insert: the loser runs again over the winner's rows.
        for (var attempt = 1; ; attempt++)
        {
            using var writer = await db.WriterAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await db.SignInRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);
                db.SignInRoles.AddRange(roles.Select(r => new SignInRole { UserId = userId, Role = r.Key, FromGroup = r.Value, SignedInAt = now }));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < 3)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }
}
