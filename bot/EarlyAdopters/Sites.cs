using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>Lookups by the names people type: site names match in any case on both engines.</summary>
public static class Sites
{
    public static Task<Site?> FindAsync(RolloutDb db, string name, CancellationToken ct = default)
    {
        var lower = name.Trim().ToLowerInvariant();
        return db.Sites.FirstOrDefaultAsync(s => s.Name.ToLower() == lower, ct);
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
