using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary><c>/component add|retire</c> (coordinators) and <c>/components</c> (everyone).</summary>
public static class ComponentCommands
{
    private static readonly string[] ComponentUsage = ["/component add name=… stack=…", "/component retire name=…"];

    public static readonly CommandDefinition Component = new("component", "Coordinator", ComponentUsage,
        "add a component to the catalogue, or retire one", HandleAsync);

    public static readonly CommandDefinition List = new("components", "Everyone", ["/components"],
        "the component catalogue by stack, with how many sites cover each", ListAsync);

    private static async Task HandleAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var caller = await ctx.CallerAsync(db);
        switch (ctx.Command.Verb)
        {
            case "add":
                if (ctx.Require(caller, Role.Coordinator, "add a component")) await AddAsync(ctx, db, caller);
                break;
            case "retire":
                if (ctx.Require(caller, Role.Coordinator, "retire a component")) await RetireAsync(ctx, db);
                break;
            default:
                ctx.Fail(ctx.Command.Verb is null ? "Say what to do: `add` or `retire`." : $"`/component {ctx.Command.Verb}` is not a thing I do.",
                    ComponentUsage, "/component");
                break;
        }
    }

    private static async Task AddAsync(CommandContext ctx, RolloutDb db, Caller caller)
    {
        var options = ctx.Services.GetRequiredService<IOptions<RolloutOptions>>().Value;
        var input = new CommandInput(ctx.Command, "name", "stack");
        var name = input.Required("name", "the component name");
        var stackText = input.Required("stack", $"one of {options.StackList}");
        var stack = options.FindStack(stackText);
        if (stackText.Length > 0 && stack is null) input.Problem($"`stack={stackText}` is not a stack I know: {options.StackList}.");
        var existing = name.Length > 0 ? await ComponentCatalogue.FindAsync(db, name, ctx.Cancellation) : null;
        if (existing is { RetiredAt: null }) input.Problem($"**{existing.Name}** is already in the catalogue ({existing.Stack}).");
        if (!input.IsValid)
        {
            ctx.Fail(input.Problems, ComponentUsage, "/component add");
            return;
        }

        if (existing is not null)
        {
            // Bringing a retired component back keeps its history (who added it first, and when).
            existing.RetiredAt = null;
            existing.Stack = stack!;
            if (!await ctx.SaveAsync(db)) return;
            ctx.Reply($"**{existing.Name}** ({stack}) is back in the catalogue.");
            return;
        }
        await ctx.Services.GetRequiredService<ComponentCatalogue>().EnsureAsync(db, name, stack!, caller.UserId, ctx.Cancellation);
        if (!await ctx.SaveAsync(db)) return;
        ctx.Reply($"**{name}** ({stack}) added to the catalogue. Until a site commits to it, it is listed in `/vacancies`.");
    }

    private static async Task RetireAsync(CommandContext ctx, RolloutDb db)
    {
        var input = new CommandInput(ctx.Command, "name");
        var name = input.Required("name", "the component name");
        var existing = name.Length > 0 ? await ComponentCatalogue.FindAsync(db, name, ctx.Cancellation) : null;
        if (name.Length > 0 && existing is null) input.Problem($"**{name}** is not in the catalogue. `/components` lists it.");
        if (existing?.RetiredAt is not null) input.Problem($"**{existing.Name}** is already retired.");
        if (!input.IsValid)
        {
            ctx.Fail(input.Problems, ComponentUsage, "/component retire");
            return;
        }

        existing!.RetiredAt = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!await ctx.SaveAsync(db)) return;
        var lower = existing.Name.ToLowerInvariant();
        var sites = await db.Commitments.CountAsync(c => c.EndedAt == null && c.Component.ToLower() == lower, ctx.Cancellation);
        ctx.Reply($"**{existing.Name}** is retired: no longer a vacancy, and no new commitments to it." +
            (sites == 0 ? "" : $" {sites} active commitment(s) to it stay until `/uncommit`."));
    }

    private static async Task ListAsync(CommandContext ctx)
    {
        await using var db = await ctx.OpenDbAsync();
        var components = await db.Components.AsNoTracking().ToListAsync(ctx.Cancellation);
        if (components.Count == 0)
        {
            ctx.Reply("The component catalogue is empty. A coordinator adds one with `/component add name=… stack=…`.");
            return;
        }
        var coverage = (await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null)
                .Select(c => new { c.SiteId, Component = c.Component.ToLower() }).Distinct().ToListAsync(ctx.Cancellation))
            .GroupBy(c => c.Component).ToDictionary(g => g.Key, g => g.Count());

        var text = new StringBuilder("**Component catalogue**\n");
        foreach (var stack in components.Where(c => c.RetiredAt is null).GroupBy(c => c.Stack).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("- ").Append(stack.Key).Append(": ").Append(string.Join(", ", stack.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => $"{c.Name} ({Sites(coverage.GetValueOrDefault(c.Name.ToLowerInvariant()))})"))).Append('\n');
        }
        var retired = components.Where(c => c.RetiredAt is not null).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        if (retired.Count > 0) text.Append("- retired: ").Append(string.Join(", ", retired.Select(c => c.Name))).Append('\n');
        ctx.Reply(text.ToString());
    }

    private static string Sites(int count) => count switch { 0 => "no site", 1 => "1 site", _ => $"{count} sites" };
}
