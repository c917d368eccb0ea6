namespace Rollout.Bot.Conversation;

/// <summary>The staged-rollout roles (seed 002 §2.4). Site admins are kept per site in the registry.</summary>
public enum Role { Coordinator, TechnologyUnit, Repository, Provider, SiteAdmin, Security }

public static class RoleNames
{
    private static readonly Dictionary<Role, string> Names = new()
    {
        [Role.Coordinator] = "coordinator",
        [Role.TechnologyUnit] = "technology-unit",
        [Role.Repository] = "repository",
        [Role.Provider] = "provider",
        [Role.SiteAdmin] = "site-admin",
        [Role.Security] = "security",
    };

    public static string ToName(this Role role) => Names[role];

    public static IEnumerable<string> All => Names.Values;

    public static bool TryParse(string? text, out Role role)
    {
        foreach (var (key, name) in Names)
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = key;
                return true;
            }
        }
        role = default;
        return false;
    }
}
