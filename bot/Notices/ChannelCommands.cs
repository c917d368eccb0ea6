using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Notices;

/// <summary><c>/channel bind|unbind</c> and <c>/channels</c>: which conversation gets which notices. Coordinators only.</summary>
public static class ChannelCommands
{
    private const string BindUsage = "/channel bind early-adopters stack=glite";

    public static CommandDefinition Channel(Outbox outbox, NoticeStacks stacks) => new("channel", "Coordinator",
        [BindUsage, "/channel bind operations|broadcast|security", "/channel bind pilot P1", "/channel unbind <purpose> [stack=…|P1]"],
        "make this conversation receive (or stop receiving) a kind of notice", Writes: true, s => HandleChannelAsync(s, outbox, stacks));

    public static CommandDefinition Channels(NoticeStacks stacks) => new("channels", "Coordinator", ["/channels"],
        "which conversation receives which notices", Writes: false, s => ListAsync(s, stacks));

    private static async Task<Reply> HandleChannelAsync(CommandSession s, Outbox outbox, NoticeStacks stacks)
    {
        var db = s.Db;
        var verb = s.Command.Verb;
        // A pilot's room is its pilot coordinator's to bind as well (seed 000: they set up the pilot's channels).
        if (!await Pilots.PilotRooms.MayBindAsync(s) && s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (verb is not ("bind" or "unbind"))
            return Reply.No($"Say `/channel bind <purpose>` or `/channel unbind <purpose>`; purposes: {string.Join(", ", NoticePurposes.All)}. " +
                $"Example: `{BindUsage}`.");
        var (target, problem) = ParsePurpose(s, stacks);
        if (target is not var (purpose, stack)) return Reply.No(problem!);
        var label = NoticePurposes.Label(purpose, stack);
        var chat = s.Chat;
        var binding = await db.ChannelBindings.FirstOrDefaultAsync(b => b.Purpose == purpose && b.Stack == stack, s.Ct);
        var here = binding is not null && binding.ChannelId == chat.ChannelId && binding.ConversationId == chat.ConversationId;

        if (verb == "unbind")
        {
            if (binding is null) return Reply.No($"No conversation receives **{label}** notices; nothing to unbind.");
            if (!here) return Reply.No($"**{label}** notices go to {await NameAsync(db, binding, s.Ct)}, not here: unbind it there.");
            db.ChannelBindings.Remove(binding);
            return $"This conversation no longer receives **{label}** notices. They wait in `/outbox` until a conversation is bound.";
        }

        if (here) return Reply.No($"This conversation already receives **{label}** notices.");
        var previous = binding is null ? null : await NameAsync(db, binding, s.Ct);
        if (binding is not null) db.ChannelBindings.Remove(binding);
        db.ChannelBindings.Add(new ChannelBinding
        {
            Purpose = purpose, Stack = stack, ChannelId = chat.ChannelId, ConversationId = chat.ConversationId,
            TeamsChannelId = chat.TeamsChannelId, TenantId = chat.TenantId, BoundBy = s.Caller.UserId, BoundAt = s.Now,
        });
        // Saved now: the parked notices are released by a statement of their own, in this transaction.
        await db.SaveChangesAsync(s.Ct);
        var requeued = await outbox.RequeueParkedAsync(db, NoticeRecipient.Channel(purpose, stack), s.Ct);
        return $"This conversation now receives **{label}** notices." +
            (previous is null ? "" : $" They went to {previous} before; that conversation no longer gets them.") +
            (requeued == 0 ? "" : $" {requeued} parked notice(s) for it are on their way.");
    }

    private static async Task<Reply> ListAsync(CommandSession s, NoticeStacks stacks)
    {
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        var db = s.Db;
        var bindings = await db.ChannelBindings.AsNoTracking().ToListAsync(s.Ct);
        var text = new StringBuilder("**Notice channels**\n");
        foreach (var purpose in NoticePurposes.All)
        {
            if (purpose == NoticePurposes.Pilot && bindings.All(b => b.Purpose != purpose)) continue;
            var forPurpose = bindings.Where(b => b.Purpose == purpose).OrderBy(b => b.Stack, StringComparer.Ordinal).ToList();
            if (forPurpose.Count == 0) text.Append($"- {purpose}: not bound\n");
            foreach (var binding in forPurpose)
                text.Append($"- {binding.Label}: {await NameAsync(db, binding, s.Ct)}\n");
        }
        var unbound = stacks.Names.Where(s => !bindings.Any(b => b.Purpose == NoticePurposes.EarlyAdopters && b.Stack == s)).ToList();
        if (unbound.Count > 0) text.Append($"Stacks without an early-adopters channel: {string.Join(", ", unbound)}.\n");
        return text.ToString();
    }

    private static ((string Purpose, string Stack)? Target, string? Problem) ParsePurpose(CommandSession s, NoticeStacks stacks)
    {
        var typed = s.Command.Positionals.Count > 1 ? s.Command.Positionals[1] : null;
        var purpose = NoticePurposes.Find(typed);
        if (purpose is null)
            return (null, (typed is null ? "Name the kind of notice." : $"'{typed}' is not a kind of notice.") +
                $" Use one of: {string.Join(", ", NoticePurposes.All)}, e.g. `{BindUsage}`.");
        if (purpose == NoticePurposes.Pilot) return Pilots.PilotRooms.Target(s);
        var stackTyped = s.Command.Get("stack");
        if (!NoticePurposes.IsPerStack(purpose))
            return stackTyped is not null ? (null, $"{purpose} notices are not per stack: leave out `stack={stackTyped}`.") : ((purpose, ""), null);
        if (stackTyped is null)
            return (null, $"{purpose} notices are per stack: add `stack=…`, one of {string.Join(", ", stacks.Names)}, e.g. `{BindUsage}`.");
        if (stacks.Find(stackTyped) is not { } stack)
            return (null, $"'{stackTyped}' is not a stack. Use one of: {string.Join(", ", stacks.Names)}.");
        return ((purpose, stack), null);
    }

    private static async Task<string> NameAsync(RolloutDb db, ChannelBinding binding, CancellationToken ct)
    {
        var name = await db.Conversations.AsNoTracking()
            .Where(c => c.ChannelId == binding.ChannelId && c.ConversationId == binding.ConversationId)
            .Select(c => c.Name).FirstOrDefaultAsync(ct);
        return $"'{name ?? binding.ConversationId}' ({binding.ChannelId})";
    }
}
