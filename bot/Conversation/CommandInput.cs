using System.Globalization;
using System.Text.RegularExpressions;

namespace Rollout.Bot.Conversation;

/// <summary>
/// Reads a command's key=value fields and collects every problem with them, so one reply can list all that is
/// wrong together with the usage line. Handlers validate everything first and write only when no problem is left.
/// </summary>
public sealed partial class CommandInput(ParsedCommand command, params string[] allowedKeys)
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> Problems
    {
        get
        {
            var unknown = command.Named.Keys.Where(k => !allowedKeys.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
            return unknown.Count == 0
                ? _problems
                : [.. _problems, $"I don't know {string.Join(", ", unknown.Select(k => $"`{k}=`"))} here."];
        }
    }

    public bool IsValid => Problems.Count == 0;

    public void Problem(string text) => _problems.Add(text);

    public string? Optional(string key) => command.Get(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public string Required(string key, string what)
    {
        var value = Optional(key);
        if (value is null) _problems.Add($"`{key}=` is missing: give {what}.");
        return value ?? "";
    }

    public string? Email(string key, bool required)
    {
        var value = required ? Required(key, "an e-mail address") : Optional(key);
        if (string.IsNullOrEmpty(value)) return null;
        if (!EmailPattern().IsMatch(value))
        {
            _problems.Add($"`{key}={value}` is not an e-mail address (like name@example.org).");
            return null;
        }
        return value;
    }

    public long Id(string key, string what)
    {
        var text = Required(key, what);
        if (text.Length == 0) return 0;
        if (long.TryParse(text.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id;
        _problems.Add($"`{key}={text}` is not a number: give {what}, like `{key}=12`.");
        return 0;
    }

    /// <summary>The refusal listing every problem, with the usage lines that start with <paramref name="usagePrefix"/>.</summary>
    public Reply Refusal(IReadOnlyList<string> usage, string? usagePrefix = null) => Refusals.Problems(Problems, usage, usagePrefix);

    /// <summary>The one test of an e-mail address, for commands and imports alike.</summary>
    public static bool IsEmail(string text) => EmailPattern().IsMatch(text);

    [GeneratedRegex(@"^[^@\s""]+@[^@\s""]+\.[^@\s""]+$")]
    private static partial Regex EmailPattern();
}
