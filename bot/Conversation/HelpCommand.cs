using System.Text;

namespace Rollout.Bot.Conversation;

/// <summary>
/// <c>/help</c> fits the reader: what this person can do first (the commands for everyone and for the roles they hold),
/// <c>help all</c> every command grouped by the role that uses it, <c>help accept</c> one command in full.
/// </summary>
public static class HelpCommand
{
    public static readonly string[] Usage = ["/help", "/help all", "/help COMMAND"];

    public const string InRooms = "In a Teams channel or group chat, @mention me first: `@Rollout.Bot help`.";

    public static CommandDefinition Definition(Lazy<CommandRegistry> registry) => new(
        "help", "Everyone", Usage, "what you can do; `help all`: every command; `help accept`: one command in full", Writes: false,
        s => Task.FromResult(Answer(registry.Value, s)));

    private static Reply Answer(CommandRegistry registry, CommandSession s)
    {
        var topic = s.Command.Positionals.Count > 0 ? s.Command.Positionals[0].TrimStart('/') : null;
        if (topic is null) return ForCaller(registry, s.Caller);
        if (topic.Equals("all", StringComparison.OrdinalIgnoreCase)) return registry.HelpText;
        if (registry.Find(topic) is { } command) return InFull(command);
        return registry.Closest(topic) is { } closest
            ? $"I don't know '{topic}'. Did you mean `help {closest}`? `help all` lists every command."
            : $"I don't know '{topic}'. `help all` lists every command.";
    }

    /// <summary>The commands for everyone and for the caller's roles; the other roles are named, for `help all`.</summary>
    private static string ForCaller(CommandRegistry registry, Caller caller) =>
        registry.HelpByRoles.GetOrAdd(caller.HeldRoles, static (_, a) => Write(a.registry, a.caller), (registry, caller));

    private static string Write(CommandRegistry registry, Caller caller)
    {
        var mine = Groups(registry).Where(g => g.Key == "Everyone" || RoleOf(g.Key) is { } role && caller.Has(role)).ToList();
        var others = Groups(registry).Select(g => g.Key).Except(mine.Select(g => g.Key)).ToList();
        var text = new StringBuilder($"**What you can do** ({(caller.Roles.Count == 0 ? "you hold no role yet" : "you are " + caller.HeldRoles)}; " +
            "the leading `/` is optional; quote values with spaces)\n");
        foreach (var group in mine) Append(text, group);
        text.Append('\n');
        if (others.Count > 0) text.Append($"`help all` also lists the commands of {Join(others)}. ");
        text.Append("`help accept` (or any command) shows one command in full.\n").Append(InRooms);
        return text.ToString();
    }

    /// <summary>Every usage line of one command, who uses it and what it does.</summary>
    private static string InFull(CommandDefinition command)
    {
        var who = RoleOf(command.Group) is { } role ? Refusals.Who(role) : "anyone";
        var text = new StringBuilder($"**/{command.Name}**: {command.Summary} (for {who}).\n");
        foreach (var usage in command.Usage) text.Append("- `").Append(usage).Append("`\n");
        text.Append('\n').Append(command.Writes ? "It changes what it names, after checking that you may. " : "It only reads. ")
            .Append(InRooms);
        return text.ToString();
    }

    public static string Render(CommandRegistry registry)
    {
        var text = new StringBuilder("**Rollout.Bot commands** (the leading `/` is optional; quote values with spaces)\n");
        foreach (var group in Groups(registry)) Append(text, group);
        text.Append('\n').Append("`help accept` (or any command) shows one command in full. ").Append(InRooms);
        return text.ToString();
    }

    private static void Append(StringBuilder text, IGrouping<string, CommandDefinition> group)
    {
        text.Append("\n**").Append(group.Key).Append("**\n");
        foreach (var command in group.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            text.Append("- `").Append(command.Usage[0]).Append("` — ").Append(command.Summary).Append('\n');
            foreach (var more in command.Usage.Skip(1)) text.Append("  `").Append(more).Append("`\n");
        }
    }

    private static IEnumerable<IGrouping<string, CommandDefinition>> Groups(CommandRegistry registry) =>
        registry.All.GroupBy(c => c.Group).OrderBy(g => Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal);

    /// <summary>The role whose holders a help group is for.</summary>
    private static Role? RoleOf(string group) => group switch
    {
        "Site admin" => Role.SiteAdmin,
        "Provider" => Role.Provider,
        "Repository" => Role.Repository,
        "Technology unit" => Role.TechnologyUnit,
        "Security" => Role.Security,
        "Coordinator" => Role.Coordinator,
        _ => null,
    };

    private static string Join(IReadOnlyList<string> groups) =>
        groups.Count == 1 ? groups[0] : string.Join(", ", groups.SkipLast(1)) + " and " + groups[^1];

    private static int Order(string group)
    {
        var index = CommandRegistry.GroupOrder.ToList().IndexOf(group);
        return index < 0 ? int.MaxValue : index;
    }
}
