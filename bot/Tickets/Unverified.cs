using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/unverified #N</c>: the repository manager pulled the packages and the checksums are fine (seed 002 §2.4 step 2.1).
/// <c>/unverified #N failed reason="…"</c>: the pull failed; that is recorded and the ticket stays certified.
/// </summary>
public static class Unverified
{
    public static readonly IReadOnlyList<string> Usage = ["/unverified #N", "/unverified #N failed reason=\"…\""];

    public static readonly CommandDefinition Definition = new(
        "unverified", "Repository", Usage, "packages pulled and checksums fine (or the pull failed)", Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.Repository) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, Usage, "reason") is { } unknown) return unknown;
        var failed = command.Positionals.Count > 1 && command.Positionals[1].Equals("failed", StringComparison.OrdinalIgnoreCase);
        if (command.Positionals.Count > (failed ? 2 : 1))
            return Reply.No($"I don't understand '{command.Positionals[^1]}'. {TicketCommand.Usage(Usage)}");
        var reason = command.Get("reason")?.Trim();
        if (failed && string.IsNullOrEmpty(reason)) return Reply.No($"Say why the pull failed with reason=\"…\". {TicketCommand.Usage(Usage)}");
        if (!failed && reason is not null) return Reply.No($"reason= goes with `failed`. {TicketCommand.Usage(Usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        var why = failed ? ticket.PullFailed(reason!, s.Actor, s.Now) : ticket.PackagesPulled(s.Actor, s.Now);
        if (why is not null) return Reply.No(why);
        return failed
            ? $"{ticket.Number}: the failed pull is recorded; the ticket stays certified. Reason: {reason}"
            : $"{ticket.Number} is now unverified: packages pulled, checksums fine. Over to the technology unit for `/verify`.";
    }
}
