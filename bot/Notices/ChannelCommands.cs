using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary><c>/channel bind|unbind</c> and <c>/channels</c>: which conversation gets which notices. Coordinators only.</summary>
public static class ChannelCommands
{
    private const string BindUsage = "/channel bind early-adopters stack=glite";

    public static readonly CommandDefinition Channel = new("channel", "Coordinator",
        [BindUsage, "/channel bind operations|broadcast|security", "/channel unbind <purpose> [stack=…]"],
        "make this conversation receive (or stop receiving) a kind of notice", HandleChannelAsync);

    public static readonly CommandDefinition Channels = new("channels", "Coordinator", ["/channels"],
        "which conversation receives which notices", ListAsync);

    private static async Task HandleChannelAsync(CommandContext ctx)
    {
        if (await RefuseUnlessCoordinatorAsync(ctx) is not { } db) return;
        await using var _ = db;
        var verb = ctx.Command.Verb;
        if (verb is not ("bind" or "unbind"))
        {
            ctx.Reply($"Say `/channel bind <purpose>` or `/channel unbind <purpose>`; purposes: {string.Join(", ", NoticePurposes.All)}. " +
                $"Example: `{BindUsage}`.");
            return;
        }
        if (ParsePurpose(ctx) is not { } target) return;
        var (purpose, stack) = target;
        var label = NoticePurposes.Label(purpose, stack);
        var turn = ctx.Turn;
        var binding = await db.ChannelBindings.FirstOrDefaultAsync(b => b.Purpose == purpose && b.Stack == stack, ctx.Cancellation);
        var here = binding is not null && binding.ChannelId == turn.ChannelId && binding.ConversationId == turn.ConversationId;

        if (verb == "unbind")
        {
            if (binding is null) { ctx.Reply($"No conversation receives **{label}** notices; nothing to unbind."); return; }
            if (!here) { ctx.Reply($"**{label}** notices go to {await NameAsync(db, binding, ctx.Cancellation)}, not here: unbind it there."); return; }
            db.ChannelBindings.Remove(binding);
            await db.SaveChangesAsync(ctx.Cancellation);
            ctx.Reply($"This conversation no longer receives **{label}** notices. They wait in `/outbox` until a conversation is bound.");
            return;
        }

        if (here) { ctx.Reply($"This conversation already receives **{label}** notices."); return; }
        var previous = binding is null ? null : await NameAsync(db, binding, ctx.Cancellation);
        if (binding is not null) db.ChannelBindings.Remove(binding);
        db.ChannelBindings.Add(new ChannelBinding
        {
            Purpose = purpose, Stack = stack, ChannelId = turn.ChannelId, ConversationId = turn.ConversationId,
            TeamsChannelId = turn.TeamsChannelId, TenantId = turn.TenantId,
            BoundBy = turn.UserId, BoundAt = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        await db.SaveChangesAsync(ctx.Cancellation);
        var requeued = await ctx.Services.GetRequiredService<Outbox>()
            .RequeueParkedAsync(db, NoticeRecipient.Channel(purpose, stack), ctx.Cancellation);
        ctx.Reply($"This conversation now receives **{label}** notices." +
            (previous is null ? "" : $" They went to {previous} before; that conversation no longer gets them.") +
            (requeued == 0 ? "" : $" {requeued} parked notice(s) for it are on their way."));
    }

    private static async Task ListAsync(CommandContext ctx)
    {
        if (await RefuseUnlessCoordinatorAsync(ctx) is not { } db) return;
        await using var _ = db;
        var bindings = await db.ChannelBindings.AsNoTracking().ToListAsync(ctx.Cancellation);
        var text = new StringBuilder("**Notice channels**\n");
        foreach (var purpose in NoticePurposes.All)
        {
            var forPurpose = bindings.Where(b => b.Purpose == purpose).OrderBy(b => b.Stack, StringComparer.Ordinal).ToList();
            if (forPurpose.Count == 0) text.Append($"- {purpose}: not bound\n");
            foreach (var binding in forPurpose)
                text.Append($"- {binding.Label}: {await NameAsync(db, binding, ctx.Cancellation)}\n");
        }
        var stacks = ctx.Services.GetRequiredService<NoticeStacks>();
        var unbound = stacks.Names.Where(s => !bindings.Any(b => b.Purpose == NoticePurposes.EarlyAdopters && b.Stack == s)).ToList();
        if (unbound.Count > 0) text.Append($"Stacks without an early-adopters channel: {string.Join(", ", unbound)}.\n");
        ctx.Reply(text.ToString());
    }

    private static (string Purpose, string Stack)? ParsePurpose(CommandContext ctx)
    {
        var typed = ctx.Command.Positionals.Count > 1 ? ctx.Command.Positionals[1] : null;
        var purpose = NoticePurposes.Find(typed);
        if (purpose is null)
        {
            ctx.Reply((typed is null ? "Name the kind of notice." : $"'{typed}' is not a kind of notice.") +
                $" Use one of: {string.Join(", ", NoticePurposes.All)}, e.g. `{BindUsage}`.");
            return null;
        }
        var stacks = ctx.Services.GetRequiredService<NoticeStacks>();
        var stackTyped = ctx.Command.Get("stack");
        if (!NoticePurposes.IsPerStack(purpose))
        {
            if (stackTyped is not null) { ctx.Reply($"{purpose} notices are not per stack: leave out `stack={stackTyped}`."); return null; }
            return (purpose, "");
        }
        if (stackTyped is null)
        {
            ctx.Reply($"{purpose} notices are per stack: add `stack=…`, one of {string.Join(", ", stacks.Names)}, e.g. `{BindUsage}`.");
            return null;
        }
        if (stacks.Find(stackTyped) is not { } stack)
        {
            ctx.Reply($"'{stackTyped}' is not a stack. Use one of: {string.Join(", ", stacks.Names)}.");
            return null;
        }
        return (purpose, stack);
    }

    internal static async Task<RolloutDb?> RefuseUnlessCoordinatorAsync(CommandContext ctx)
    {
        var db = await ctx.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ctx.Cancellation);
        var caller = await ctx.Services.GetRequiredService<CallerResolver>().ResolveAsync(ctx.Turn, db, ctx.Cancellation);
        if (caller.IsCoordinator) return db;
        await db.DisposeAsync();
        ctx.Reply($"Only coordinators can use `/{ctx.Command.Name}`. Ask a coordinator if notices should go elsewhere.");
        return null;
    }

    private static async Task<string> NameAsync(RolloutDb db, ChannelBinding binding, CancellationToken ct)
    {
        var name = await db.Conversations.AsNoTracking()
            .Where(c => c.ChannelId == binding.ChannelId && c.ConversationId == binding.ConversationId)
            .Select(c => c.Name).FirstOrDefaultAsync(ct);
        return $"'{name ?? binding.ConversationId}' ({binding.ChannelId})";
    }
}
