using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>Lookups by the names people type: site names match in any case, any script, on both engines.</summary>
public static class Sites
{
    /// <summary>
    /// The key a name is found by: trimmed, Unicode-normalised (NFKC, so a composed "Å" and "A" + ring are one) and
    /// lower-cased by .NET, not by the database (SQLite's lower() folds ASCII only).
    /// </summary>
    public static string Key(string name) => name.Trim().Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant();

    /// <summary>
    /// Why <paramref name="name"/> cannot be a new site's name, or null. Site names are letters (any script), digits, spaces
    /// and <c>- _ .</c>, as GOCDB's are, so a name can never carry a link, emphasis or markup into a card or the operations
    /// room (issue 12.12); names kept before this rule are still shown escaped.
    /// </summary>
    public static string? NameProblem(string name)
    {
        foreach (var rune in name.Trim().EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || rune.Value is ' ' or '-' or '_' or '.'
                || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)
                continue;
            var shown = Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? $"U+{rune.Value:X4}" : $"'{rune}' (U+{rune.Value:X4})";
            return $"a site name may hold letters, digits, spaces and - _ . only, and this one has {shown}; use the name the site has in GOCDB, e.g. INFN-T1";
        }
        return null;
    }

    /// <summary>The site (not removed) named <paramref name="name"/> in any case.</summary>
    public static Task<Site?> FindAsync(RolloutDb db, string name, CancellationToken ct = default)
    {
        var key = Key(name);
        return db.Sites.FirstOrDefaultAsync(s => s.NameKey == key && s.RemovedAt == null, ct);
    }

    /// <summary>Rewrites the keys of sites kept before they were computed here (the migration could only use lower()).</summary>
    public static async Task RefreshKeysAsync(RolloutDb db, CancellationToken ct = default)
    {
        // Read as plain values: materialising a Site would recompute its key in the setter and hide the difference.
        var stale = (await db.Sites.AsNoTracking().Select(s => new { s.Id, s.Name, s.NameKey }).ToListAsync(ct))
            .Where(s => s.NameKey != Key(s.Name)).ToList();
        if (stale.Count == 0) return;
        using var writer = await db.WriterAsync(ct);
        foreach (var site in stale)
        {
            var key = Key(site.Name);
            await db.Sites.Where(s => s.Id == site.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.NameKey, key), ct);
        }
    }

    public static bool TryParseLevel(string text, out PartnerLevel level)
    {
        foreach (var candidate in Enum.GetValues<PartnerLevel>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }
        level = default;
        return false;
    }

    public static string Levels => string.Join(", ", Enum.GetValues<PartnerLevel>().Select(l => l.ToString().ToLowerInvariant()));

    /// <summary>"CREAM (el9/x86_64)": a commitment as people read it.</summary>
    public static string Describe(string component, string? os, string? arch) =>
        os is null && arch is null ? component : $"{component} ({os ?? "any OS"}/{arch ?? "any arch"})";

    public static bool SameTarget(string? a, string? b) => string.Equals(a ?? "", b ?? "", StringComparison.OrdinalIgnoreCase);
}
