using Rollout.Bot.Protocol;
namespace Rollout.Bot.Conversation;

/// <summary>
/// One command as a feature registers it. <paramref name="Group"/> is the role that uses it (help groups by it);
/// <paramref name="Usage"/> lines are shown by /help and by the command's own error messages. A command that
/// <paramref name="Writes"/> runs in a write transaction, re-run on a concurrent change, and commits with the
/// reactions to what it changed; a read-only one gets a plain database context.
/// </summary>
public sealed record CommandDefinition(
    string Name, string Group, IReadOnlyList<string> Usage, string Summary, bool Writes, CommandHandler Handler)
{
    /// <summary>The usage lines as one "Usage: …" sentence for replies.</summary>
    public string UsageText => "Usage: " + string.Join(" · ", Usage.Select(u => $"`{u}`"));
}

/// <summary>Every command of every feature, registered explicitly; a duplicate name stops the bot at start-up.</summary>
public sealed class CommandRegistry
{
    public static readonly IReadOnlyList<string> GroupOrder =
        ["Everyone", "Site admin", "Provider", "Repository", "Technology unit", "Security", "Pilots", "Coordinator"];

    private readonly Dictionary<string, CommandDefinition> _commands = new(StringComparer.OrdinalIgnoreCase);

    public CommandRegistry(IEnumerable<CommandDefinition> definitions, IEnumerable<Func<IServiceProvider, CommandDefinition>> factories,
        IServiceProvider services)
    {
        foreach (var definition in definitions.Concat(factories.Select(f => f(services))))
        {
            if (!_commands.TryAdd(definition.Name, definition))
                throw new InvalidOperationException($"The command '/{definition.Name}' is registered twice.");
        }
    }

    public IReadOnlyCollection<CommandDefinition> All => _commands.Values;

    /// <summary>The /help text. The registry never changes after start-up, so it is rendered once.</summary>
    public string HelpText => _helpText ??= HelpCommand.Render(this);

    /// <summary>
    /// <c>/help</c> for each set of roles, written once: it depends on the roles alone, and building it was a twentieth
    /// of a /help turn. Bounded by the number of role combinations.
    /// </summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, string> HelpByRoles { get; } = new(StringComparer.Ordinal);
    private string? _helpText;

    public CommandDefinition? Find(string name) => _commands.GetValueOrDefault(name);

    /// <summary>The known command closest to what was typed, or null when nothing is close.</summary>
    public string? Closest(string typed)
    {
        // Far longer than any command name: no near miss, and the distance would cost length × name per command.
        if (typed.Length > Limits.EchoChars) return null;
        var word = typed.ToLowerInvariant();
        var best = _commands.Keys
            .Select(k => (Name: k, Distance: Levenshtein(word, k)))
            .OrderBy(p => p.Distance).ThenBy(p => p.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Name is null) return null;
        var prefix = _commands.Keys.Where(k => k.StartsWith(word, StringComparison.Ordinal) && word.Length >= 2)
            .OrderBy(k => k.Length).FirstOrDefault();
        if (prefix is not null) return prefix;
        return best.Distance <= Math.Max(2, word.Length / 3) ? best.Name : null;
    }

    /// <summary>
    /// Commands that take <paramref name="typed"/> as their first word, from their usage lines ("grant" gives
    /// "role grant"): people often type the sub-command alone.
    /// </summary>
    public IReadOnlyList<string> WithSubcommand(string typed) => _commands.Values
        .SelectMany(c => c.Usage.Select(u => u.TrimStart('/').Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        .Where(words => words.Length > 1 && string.Equals(words[1], typed, StringComparison.OrdinalIgnoreCase)
            && words[1].All(char.IsAsciiLetterLower))
        .Select(words => $"{words[0]} {words[1]}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    internal static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}

public static class CommandRegistration
{
    public static IServiceCollection AddCommand(this IServiceCollection services, CommandDefinition definition) =>
        services.AddSingleton(definition);

    /// <summary>A command whose handler needs services: they are resolved here, once, and visible in the factory's signature.</summary>
    public static IServiceCollection AddCommand(this IServiceCollection services, Func<IServiceProvider, CommandDefinition> definition) =>
        services.AddSingleton(definition);

    public static T Get<T>(this IServiceProvider services) where T : notnull => services.GetRequiredService<T>();

    public static T Options<T>(this IServiceProvider services) where T : class =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<T>>().Value;
}
