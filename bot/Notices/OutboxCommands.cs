using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Notices;

/// <summary><c>/outbox</c>: notices not yet delivered, and why; <c>/outbox retry N</c> sends a parked one again.</summary>
public static class OutboxCommands
{
    private const int Shown = 20;

    public static CommandDefinition Definition(Outbox outbox) => new("outbox", "Coordinator", ["/outbox", "/outbox retry <id>"],
        "notices waiting to be sent or parked, with the reason", Writes: true, s => HandleAsync(s, outbox));

    private static async Task<Reply> HandleAsync(CommandSession s, Outbox outbox)
    {
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        var db = s.Db;
        var verb = s.Command.Verb;
        if (verb is null)
        {
            var open = await db.Notices.AsNoTracking().Where(n => n.State != NoticeState.Sent)
                .OrderByDescending(n => n.Id).Take(Shown + 1).ToListAsync(s.Ct);
            return Render(open);
        }
        if (verb != "retry") return Reply.No("Say `/outbox` to list undelivered notices or `/outbox retry <id>` to send a parked one again.");
        var typed = s.Command.Positionals.Count > 1 ? s.Command.Positionals[1].TrimStart('#') : null;
        if (!long.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return Reply.No("Name the notice by its number from `/outbox`, e.g. `/outbox retry 12`.");
        var notice = await db.Notices.FirstOrDefaultAsync(n => n.Id == id, s.Ct);
        if (notice is null) return Reply.No($"There is no notice #{id}. `/outbox` lists the undelivered ones.");
        if (notice.State != NoticeState.Parked)
            return Reply.No($"Notice #{id} is {notice.State.ToString().ToLowerInvariant()}, not parked: only parked notices can be retried.");
        var why = notice.LastError;
        outbox.Retry(db, notice);
        return $"Notice #{id} ({notice.DedupeKey}) is queued again; it was parked because {why}.";
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
