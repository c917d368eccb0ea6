using System.Text;

namespace Rollout.Bot.Conversation;

/// <summary><c>/help</c>: every command the bot knows, grouped by the role that uses it, one usage line each.</summary>
public static class HelpCommand
{
    public static CommandDefinition Definition(Lazy<CommandRegistry> registry) => new(
        "help", "Everyone", ["/help"], "every command I know, grouped by the role that uses it", Writes: false,
        _ => Task.FromResult<Reply>(registry.Value.HelpText));

    public static string Render(CommandRegistry registry)
    {
        var text = new StringBuilder("**Rollout.Bot commands** (the leading `/` is optional; quote values with spaces)\n");
        var groups = registry.All.GroupBy(c => c.Group)
            .OrderBy(g => Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            text.Append("\n**").Append(group.Key).Append("**\n");
            foreach (var command in group.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                text.Append("- `").Append(command.Usage[0]).Append("` — ").Append(command.Summary).Append('\n');
                foreach (var more in command.Usage.Skip(1)) text.Append("  `").Append(more).Append("`\n");
            }
        }
        return text.ToString();
    }

    private static int Order(string group)
    {
        var index = CommandRegistry.GroupOrder.ToList().IndexOf(group);
        return index < 0 ? int.MaxValue : index;
    }
}
