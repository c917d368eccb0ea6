using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary><c>/component add|retire</c> (coordinators) and <c>/components</c> (everyone).</summary>
public static class ComponentCommands
{
    private static readonly string[] ComponentUsage = ["/component add name=… stack=…", "/component retire name=…"];

    public static CommandDefinition Component(RolloutOptions options, ComponentCatalogue catalogue) => new("component", "Coordinator",
        ComponentUsage, "add a component to the catalogue, or retire one", Writes: true, s => HandleAsync(s, options, catalogue));

    public static readonly CommandDefinition List = new("components", "Everyone", ["/components"],
        "the component catalogue by stack, with how many sites cover each", Writes: false, ListAsync);

    private static async Task<Reply> HandleAsync(CommandSession s, RolloutOptions options, ComponentCatalogue catalogue) => s.Command.Verb switch
    {
        "add" => s.Require(Role.Coordinator, "add a component") ?? await AddAsync(s, options, catalogue),
        "retire" => s.Require(Role.Coordinator, "retire a component") ?? await RetireAsync(s),
        var verb => Refusals.Problem(verb is null ? "Say what to do: `add` or `retire`." : $"`/component {verb}` is not a thing I do.",
            ComponentUsage, "/component"),
    };

    private static async Task<Reply> AddAsync(CommandSession s, RolloutOptions options, ComponentCatalogue catalogue)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name", "stack");
        var name = input.Required("name", "the component name");
        var stackText = input.Required("stack", $"one of {options.StackList}");
        var stack = options.FindStack(stackText);
        if (stackText.Length > 0 && stack is null) input.Problem($"`stack={stackText}` is not a stack I know: {options.StackList}.");
        var existing = name.Length > 0 ? await ComponentCatalogue.FindAsync(db, name, s.Ct) : null;
        if (existing is { RetiredAt: null }) input.Problem($"**{existing.Name}** is already in the catalogue ({existing.Stack}).");
        if (!input.IsValid) return input.Refusal(ComponentUsage, "/component add");

        if (existing is not null)
        {
            // Bringing a retired component back keeps its history (who added it first, and when).
            existing.RetiredAt = null;
            existing.Stack = stack!;
            return $"**{existing.Name}** ({stack}) is back in the catalogue.";
        }
        await catalogue.EnsureAsync(db, name, stack!, s.Caller.UserId, s.Ct);
        return $"**{name}** ({stack}) added to the catalogue. Until a site commits to it, it is listed in `/vacancies`.";
    }

    private static async Task<Reply> RetireAsync(CommandSession s)
    {
        var db = s.Db;
        var input = new CommandInput(s.Command, "name");
        var name = input.Required("name", "the component name");
        var existing = name.Length > 0 ? await ComponentCatalogue.FindAsync(db, name, s.Ct) : null;
        if (name.Length > 0 && existing is null) input.Problem($"**{name}** is not in the catalogue. `/components` lists it.");
        if (existing?.RetiredAt is not null) input.Problem($"**{existing.Name}** is already retired.");
        if (!input.IsValid) return input.Refusal(ComponentUsage, "/component retire");

        existing!.RetiredAt = s.Now;
        var lower = existing.Name.ToLowerInvariant();
        var sites = await db.Commitments.CountAsync(c => c.EndedAt == null && c.Component.ToLower() == lower, s.Ct);
        return $"**{existing.Name}** is retired: no longer a vacancy, and no new commitments to it." +
            (sites == 0 ? "" : $" {sites} active commitment(s) to it stay until `/uncommit`.");
    }

    private static async Task<Reply> ListAsync(CommandSession s)
    {
        var db = s.Db;
        var components = await db.Components.AsNoTracking().ToListAsync(s.Ct);
        if (components.Count == 0) return "The component catalogue is empty. A coordinator adds one with `/component add name=… stack=…`.";
        var coverage = (await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null)
                .Select(c => new { c.SiteId, Component = c.Component.ToLower() }).Distinct().ToListAsync(s.Ct))
            .GroupBy(c => c.Component).ToDictionary(g => g.Key, g => g.Count());

        var text = new StringBuilder("**Component catalogue**\n");
        foreach (var stack in components.Where(c => c.RetiredAt is null).GroupBy(c => c.Stack).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("- ").Append(stack.Key).Append(": ").Append(string.Join(", ", stack.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => $"{c.Name} ({Sites(coverage.GetValueOrDefault(c.Name.ToLowerInvariant()))})"))).Append('\n');
        }
        var retired = components.Where(c => c.RetiredAt is not null).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (retired.Count > 0) text.Append("- retired: ").Append(string.Join(", ", retired.Select(c => c.Name))).Append('\n');
        return text.ToString();
    }

    private static string Sites(int count) => count switch { 0 => "no site", 1 => "1 site", _ => $"{count} sites" };
}
