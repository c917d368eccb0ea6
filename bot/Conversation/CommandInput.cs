using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

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
        if (long.TryParse(text.TrimStart('#'), out var id) && id > 0) return id;
        _problems.Add($"`{key}={text}` is not a number: give {what}, like `{key}=12`.");
        return 0;
    }

    [GeneratedRegex(@"^[^@\s""]+@[^@\s""]+\.[^@\s""]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>The small steps every command handler repeats: open the store, find the caller, refuse, explain.</summary>
public static class CommandContextExtensions
{
    public static Task<RolloutDb> OpenDbAsync(this CommandContext ctx) =>
        ctx.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ctx.Cancellation);

    public static Task<Caller> CallerAsync(this CommandContext ctx, RolloutDb db) =>
        ctx.Services.GetRequiredService<CallerResolver>().ResolveAsync(ctx.Turn, db, ctx.Cancellation);

    /// <summary>Replies with the refusal and returns false when the caller lacks the role.</summary>
    public static bool Require(this CommandContext ctx, Caller caller, Role role, string what)
    {
        if (caller.Has(role)) return true;
        var held = caller.Roles.Count == 0 ? "no role" : string.Join(", ", caller.Roles.Select(r => r.ToName()).Order());
        ctx.Reply($"Only a **{role.ToName()}** can {what}. You ({caller.UserId}) have {held}. " +
            "A coordinator can give you the role with `/role grant`.");
        return false;
    }

    /// <summary>Replies with what is wrong and the usage lines that start with <paramref name="usagePrefix"/>.</summary>
    public static void Fail(this CommandContext ctx, IEnumerable<string> problems, IReadOnlyList<string> usage, string usagePrefix)
    {
        var lines = problems.Select(p => "- " + p).ToList();
        var matching = usage.Where(u => u.StartsWith(usagePrefix, StringComparison.OrdinalIgnoreCase)).DefaultIfEmpty(usage[0]);
        ctx.Reply((lines.Count == 1 ? lines[0][2..] : "That did not work:\n" + string.Join('\n', lines)) +
            "\nNothing was changed. Usage: " + string.Join(" · ", matching.Select(u => $"`{u}`")));
    }

    /// <summary>
    /// The one save of a command. When a racing turn wrote the same thing first, a unique index refuses the save:
    /// the user is told nothing changed, instead of a generic failure.
    /// </summary>
    public static async Task<bool> SaveAsync(this CommandContext ctx, RolloutDb db)
    {
        try
        {
            await db.SaveChangesAsync(ctx.Cancellation);
            return true;
        }
        catch (DbUpdateException error) when (error.IsUniqueViolation())
        {
            ctx.Reply($"Someone made the same change at the same moment, so `/{ctx.Command.Name}` changed nothing. " +
                "Look at the current state (e.g. `/sites`) before trying again.");
            return false;
        }
    }

    public static void Fail(this CommandContext ctx, string problem, IReadOnlyList<string> usage, string usagePrefix) =>
        ctx.Fail([problem], usage, usagePrefix);
}
