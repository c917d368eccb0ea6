using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Pilots;

/// <summary>
/// The four update categories of seed 004 (the backward-compatible server update split into minor and major by the
/// minor-update criteria). The category decides the route: whether a pilot is needed, from which partner bin its
/// sites come, whether VOs take part, and how long the run lasts by default (seed 001 §4.1.3: 1 week minor, 2 major).
/// </summary>
public enum UpdateCategory { ClientCompatible, ClientIncompatible, ServerMinor, ServerMajor, ServerIncompatible }

public static class UpdateCategories
{
    private static readonly Dictionary<UpdateCategory, string> Names = new()
    {
        [UpdateCategory.ClientCompatible] = "client-bc",
        [UpdateCategory.ClientIncompatible] = "client-nbc",
        [UpdateCategory.ServerMinor] = "server-bc-minor",
        [UpdateCategory.ServerMajor] = "server-bc-major",
        [UpdateCategory.ServerIncompatible] = "server-nbc",
    };

    public static string ToName(this UpdateCategory c) => Names[c];

    public static string All => string.Join(", ", Names.Values);

    public static bool TryParse(string? text, out UpdateCategory category)
    {
        foreach (var (key, name) in Names)
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                category = key;
                return true;
            }
        }
        category = default;
        return false;
    }

    public static UpdateCategory Parse(string text) => TryParse(text, out var c) ? c : throw new FormatException($"'{text}' is not an update category.");

    /// <summary>"backward-compatible server update (minor)": as people read it.</summary>
    public static string Describe(this UpdateCategory c) => c switch
    {
        UpdateCategory.ClientCompatible => "backward-compatible client update",
        UpdateCategory.ClientIncompatible => "non-backward-compatible client update",
        UpdateCategory.ServerMinor => "backward-compatible server update (minor)",
        UpdateCategory.ServerMajor => "backward-compatible server update (major)",
        _ => "non-backward-compatible server update (or a new service)",
    };

    /// <summary>The partner bin that tries updates of this category in production; null when the staged rollout is enough.</summary>
    public static PartnerLevel? PartnerLevel(this UpdateCategory c) => c switch
    {
        UpdateCategory.ClientIncompatible => EarlyAdopters.PartnerLevel.Silver,
        UpdateCategory.ServerMinor or UpdateCategory.ServerMajor => EarlyAdopters.PartnerLevel.Gold,
        UpdateCategory.ServerIncompatible => EarlyAdopters.PartnerLevel.Platinum,
        _ => null,
    };

    /// <summary>Seed 001 §4.1.3: VOs are involved explicitly only for major updates; a minor pilot stays inside the infrastructure.</summary>
    public static bool InvolvesVos(this UpdateCategory c) => c is UpdateCategory.ServerMajor or UpdateCategory.ServerIncompatible or UpdateCategory.ClientIncompatible;

    /// <summary>Default run length after installation, in working days: 1 week for minor updates, 2 for major ones.</summary>
    public static int DefaultRunDays(this UpdateCategory c) => c is UpdateCategory.ServerMinor or UpdateCategory.ClientIncompatible ? 5 : 10;
}
