using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/unverified #N</c>: the repository manager pulled the packages and the checksums are fine (seed 002 §2.4 step 2.1).
/// <c>/unverified #N failed reason="…"</c>: the pull failed; that is recorded and the ticket stays certified.
/// </summary>
public static class Unverified
{
    public static readonly IReadOnlyList<string> Usage = ["/unverified #N", "/unverified #N failed reason=\"…\""];

    public static CommandDefinition Definition => TicketCommand.Define(
        "unverified", "Repository", Usage, "packages pulled and checksums fine (or the pull failed)", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.Has(Role.Repository)) return TicketCommand.NotAllowed("unverified", "repository managers");
            if (TicketCommand.NumberOrError(command, Usage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, Usage, "reason") is { } unknown) return unknown;
            var failed = command.Positionals.Count > 1 && command.Positionals[1].Equals("failed", StringComparison.OrdinalIgnoreCase);
            if (command.Positionals.Count > (failed ? 2 : 1))
                return $"I don't understand '{command.Positionals[^1]}'. {TicketCommand.Usage(Usage)}";
            var reason = command.Get("reason")?.Trim();
            if (failed && string.IsNullOrEmpty(reason)) return $"Say why the pull failed with reason=\"…\". {TicketCommand.Usage(Usage)}";
            if (!failed && reason is not null) return $"reason= goes with `failed`. {TicketCommand.Usage(Usage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            var trigger = failed ? TicketTrigger.PullFailed : TicketTrigger.PackagesPulled;
            if (ticket.Fire(trigger, ticket.Facts(hasReason: !string.IsNullOrEmpty(reason)), s.Caller, s.Now, reason) is { } refused)
                return $"{ticket.Number}: {refused}";
            if (failed) ticket.Record(s.Caller, s.Now, "package pull failed", null, null, reason);
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return failed
                ? $"{ticket.Number}: the failed pull is recorded; the ticket stays certified. Reason: {reason}"
                : $"{ticket.Number} is now unverified: packages pulled, checksums fine. Over to the technology unit for `/verify`.";
        });
}
