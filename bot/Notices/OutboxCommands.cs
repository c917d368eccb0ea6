using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Notices;

/// <summary><c>/outbox</c>: notices not yet delivered, and why; <c>/outbox retry N</c> sends a parked one again.</summary>
public static class OutboxCommands
{
    private const int Shown = 20;

    public static readonly CommandDefinition Definition = new("outbox", "Coordinator", ["/outbox", "/outbox retry <id>"],
        "notices waiting to be sent or parked, with the reason", HandleAsync);

    private static async Task HandleAsync(CommandContext ctx)
    {
        if (await ChannelCommands.RefuseUnlessCoordinatorAsync(ctx) is not { } db) return;
        await using var _ = db;
        var verb = ctx.Command.Verb;
        if (verb is null)
        {
            var open = await db.Notices.AsNoTracking().Where(n => n.State != NoticeState.Sent)
                .OrderByDescending(n => n.Id).Take(Shown + 1).ToListAsync(ctx.Cancellation);
            ctx.Reply(Render(open));
            return;
        }
        if (verb != "retry")
        {
            ctx.Reply("Say `/outbox` to list undelivered notices or `/outbox retry <id>` to send a parked one again.");
            return;
        }
        var typed = ctx.Command.Positionals.Count > 1 ? ctx.Command.Positionals[1].TrimStart('#') : null;
        if (!long.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            ctx.Reply("Name the notice by its number from `/outbox`, e.g. `/outbox retry 12`.");
            return;
        }
        var notice = await db.Notices.FirstOrDefaultAsync(n => n.Id == id, ctx.Cancellation);
        if (notice is null) { ctx.Reply($"There is no notice #{id}. `/outbox` lists the undelivered ones."); return; }
        if (notice.State != NoticeState.Parked)
        {
            ctx.Reply($"Notice #{id} is {notice.State.ToString().ToLowerInvariant()}, not parked: only parked notices can be retried.");
            return;
        }
        notice.State = NoticeState.Pending;
        notice.Attempts = 0;
        notice.NextAttemptAt = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        notice.ClaimedBy = null;
        notice.ClaimExpiresAt = null;
        await db.SaveChangesAsync(ctx.Cancellation);
        ctx.Services.GetRequiredService<OutboxSignal>().Wake();
        ctx.Reply($"Notice #{id} ({notice.DedupeKey}) is queued again; it was parked because {notice.LastError}.");
    }

    internal static string Render(IReadOnlyList<Notice> open)
    {
        if (open.Count == 0) return "The outbox is empty: every notice has been delivered.";
        var text = new StringBuilder("**Outbox** (newest first)\n");
        foreach (var notice in open.Take(Shown))
        {
            var to = NoticeRecipient.Parse(notice.Recipient).Describe();
            text.Append($"- #{notice.Id} `{notice.DedupeKey}` to {to}: ");
            text.Append(notice.State == NoticeState.Parked
                ? $"**parked** — {notice.LastError}. `/outbox retry {notice.Id}`"
                : notice.Attempts == 0
                    ? "pending"
                    : $"pending, {notice.Attempts} failed attempt(s), next at {notice.NextAttemptAt:yyyy-MM-dd HH:mm:ss} UTC — {notice.LastError}");
            text.Append('\n');
        }
        if (open.Count > Shown) text.Append($"… and more; the oldest are not shown.\n");
        return text.ToString();
    }
}
