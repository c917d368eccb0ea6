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
    /// Catalogue names that <paramref name="name"/> looks like a typo of (a letter wrong, missing, extra or two swapped:
    /// "glite-CRAEM" for "glite-CREAM"), closest first. Only the catalogue is searched: what it lists is public already.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SimilarAsync(RolloutDb db, string name, CancellationToken ct = default)
    {
        var typed = name.Trim().ToLowerInvariant();
        var limit = Math.Clamp(typed.Length / 4, 1, 3);
        var names = await db.Components.AsNoTracking().Where(c => c.RetiredAt == null).Select(c => c.Name).ToListAsync(ct);
        return names.Select(n => (Name: n, Distance: TypoDistance(typed, n.ToLowerInvariant())))
            .Where(x => x.Distance > 0 && x.Distance <= limit)
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase).Take(3).Select(x => x.Name).ToList();
    }

    /// <summary>"Did you mean glite-CREAM?", or "" when nothing is close.</summary>
    public static string DidYouMean(IReadOnlyList<string> similar) =>
        similar.Count == 0 ? "" : $"Did you mean {string.Join(" or ", similar.Select(n => $"**{n}**"))}? ";

    /// <summary>Edits between two names, a swap of neighbours counting as one (optimal string alignment).</summary>
    internal static int TypoDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
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
        // The names read once (a start with the catalogue complete is one statement); SQL's lower() and .NET's agree on
        // the ASCII names components have, and EnsureAsync asks the database again for any name that looks new.
        var known = (await db.Components.AsNoTracking().Select(c => c.Name.ToLower()).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var seed in options.Value.Components.Where(c => !known.Contains(c.Name.Trim().ToLowerInvariant())))
            await EnsureAsync(db, seed.Name, seed.Stack, ConfigurationUser, ct);
        if (!db.ChangeTracker.HasChanges()) return;
        using var writer = await db.WriterAsync(ct);
        await db.SaveChangesAsync(ct);
    }
}

public static class ComponentCatalogueStartup
{
    /// <summary>Seeds the component catalogue from <c>Rollout:Components</c>; call after the schema is migrated.</summary>
    public static async Task SeedComponentCatalogueAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        await Sites.RefreshKeysAsync(db);
        await app.Services.GetRequiredService<ComponentCatalogue>().SeedAsync(db);
    }
}
