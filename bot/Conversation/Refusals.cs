namespace Rollout.Bot.Conversation;

/// <summary>The ways a command says no, worded once for every feature.</summary>
public static class Refusals
{
    /// <summary>"Only coordinators can close a ticket. You (u-bob) have no role. …"</summary>
    public static Reply Role(Caller caller, string who, string what) => Reply.No(
        $"Only {who} can {what}. You ({caller.UserId}) have {caller.HeldRoles}. A coordinator can give you the role with `/role grant`.");

    /// <summary>The plural people read for a role ("coordinators", "the technology unit").</summary>
    public static string Who(Role role) => role switch
    {
        Conversation.Role.Coordinator => "coordinators",
        Conversation.Role.TechnologyUnit => "the technology unit",
        Conversation.Role.Repository => "repository managers",
        Conversation.Role.Provider => "software providers",
        Conversation.Role.SiteAdmin => "site admins of early-adopter sites",
        Conversation.Role.Security => "the security group",
        _ => role.ToName(),
    };

    /// <summary>One or more problems with what was typed, the usage lines that match, and that nothing changed.</summary>
    public static Reply Problems(IReadOnlyList<string> problems, IReadOnlyList<string> usage, string? usagePrefix = null)
    {
        var lines = problems.Select(p => "- " + p).ToList();
        var matching = usage.Where(u => usagePrefix is null || u.StartsWith(usagePrefix, StringComparison.OrdinalIgnoreCase))
            .DefaultIfEmpty(usage[0]);
        return Reply.No((lines.Count == 1 ? lines[0][2..] : "That did not work:\n" + string.Join('\n', lines)) +
            "\nNothing was changed. Usage: " + string.Join(" · ", matching.Select(u => $"`{u}`")));
    }

    public static Reply Problem(string problem, IReadOnlyList<string> usage, string? usagePrefix = null) =>
        Problems([problem], usage, usagePrefix);
}
