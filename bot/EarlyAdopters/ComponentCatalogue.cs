using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// The catalogue of components Early Adopters can commit to. Names match in any case; the first spelling stays.
/// Methods add to the caller's context without saving, so the caller's one SaveChanges keeps a command atomic.
/// </summary>
public sealed class ComponentCatalogue(IOptions<RolloutOptions> options, TimeProvider clock)
{
    public const string ConfigurationUser = "configuration";

    public static Task<Component?> FindAsync(RolloutDb db, string name, CancellationToken ct = default)
    {
        var lower = name.Trim().ToLowerInvariant();
        return db.Components.FirstOrDefaultAsync(c => c.Name.ToLower() == lower, ct);
    }

    /// <summary>
    /// Makes sure the catalogue knows <paramref name="name"/>; true when it was new (then tell the coordinators).
    /// A retired component stays retired: naming it again is not a reason to bring it back.
    /// </summary>
    public async Task<bool> EnsureAsync(RolloutDb db, string name, string stack, string byUser, CancellationToken ct = default)
    {
        var configuredStack = options.Value.FindStack(stack)
            ?? throw new ArgumentException($"'{stack}' is not a configured stack ({options.Value.StackList}).", nameof(stack));
        var trimmed = name.Trim();
        if (trimmed.Length == 0) throw new ArgumentException("A component needs a name.", nameof(name));
        if (db.Components.Local.Any(c => string.Equals(c.Name, trimmed, StringComparison.OrdinalIgnoreCase))) return false;
        if (await FindAsync(db, trimmed, ct) is not null) return false;

        db.Components.Add(new Component { Name = trimmed, Stack = configuredStack, AddedBy = byUser, AddedAt = clock.GetUtcNow() });
        return true;
    }

    /// <summary>Components that are not retired and that no site is actively committed to: the wish list.</summary>
    public static async Task<IReadOnlyList<Component>> VacanciesAsync(RolloutDb db, CancellationToken ct = default)
    {
        var covered = await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null)
            .Select(c => c.Component.ToLower()).Distinct().ToListAsync(ct);
        var open = await db.Components.AsNoTracking().Where(c => c.RetiredAt == null).ToListAsync(ct);
        var coveredSet = covered.ToHashSet(StringComparer.Ordinal);
        return open.Where(c => !coveredSet.Contains(c.Name.ToLowerInvariant()))
            .OrderBy(c => c.Stack, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Adds the configured components that the database does not have yet; run once at start-up.</summary>
    public async Task SeedAsync(RolloutDb db, CancellationToken ct = default)
    {
        foreach (var seed in options.Value.Components)
            await EnsureAsync(db, seed.Name, seed.Stack, ConfigurationUser, ct);
        await db.SaveChangesAsync(ct);
    }
}

public static class ComponentCatalogueStartup
{
    /// <summary>Seeds the component catalogue from <c>Rollout:Components</c>; call after the schema is migrated.</summary>
    public static async Task SeedComponentCatalogueAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        await app.Services.GetRequiredService<ComponentCatalogue>().SeedAsync(db);
    }
}
