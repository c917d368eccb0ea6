using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The coordinator's end of a staged rollout (seed 002 §2.4 steps 3.3 and 3.7): <c>/close</c> with an outcome and a
/// written summary once every accepted site is done, <c>/withdraw</c> a silent site, or <c>/emergency … skip</c>.
/// </summary>
public static class Closing
{
    public static readonly IReadOnlyList<string> CloseUsage = ["/close #N outcome=success|warning|reject summary=\"…\""];
    public static readonly IReadOnlyList<string> WithdrawUsage = ["/withdraw #N site=… reason=\"…\""];
    public static readonly IReadOnlyList<string> EmergencyUsage = ["/emergency #N skip reason=\"…\""];

    public static CommandDefinition Close => TicketCommand.Define(
        "close", "Coordinator", CloseUsage, "close the ticket; success or warning releases to production", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.IsCoordinator) return TicketCommand.NotAllowed("close", "coordinators");
            if (TicketCommand.NumberOrError(command, CloseUsage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, CloseUsage, "outcome", "summary") is { } unknown) return unknown;
            if (command.Get("outcome") is not { } outcomeText)
                return $"outcome= is missing: success, warning or reject. {TicketCommand.Usage(CloseUsage)}";
            if (!TicketNames.TryParse<Outcome>(outcomeText, out var outcome))
                return $"Unknown outcome '{outcomeText}': use success, warning or reject. {TicketCommand.Usage(CloseUsage)}";
            var summary = command.Get("summary")?.Trim();
            if (string.IsNullOrEmpty(summary)) return $"summary= is missing: the written summary of the staged rollout. {TicketCommand.Usage(CloseUsage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            if (ticket.Fire(TicketTrigger.Close, ticket.Facts(outcome: outcome), s.Caller, s.Now, summary) is { } refused)
                return $"{ticket.Number}: {refused}";
            ticket.Outcome = outcome;
            ticket.Summary = summary;
            ticket.Record(s.Caller, s.Now, "outcome", null, outcome.ToName(), summary);
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"{ticket.Number} is closed: {outcome.ToName()}." + (outcome == Outcome.Reject
                ? " The release does not go to production."
                : $" {ticket.Component} {ticket.Version} is released to production.");
        });

    public static CommandDefinition Withdraw => TicketCommand.Define(
        "withdraw", "Coordinator", WithdrawUsage, "take a silent site out of a staged rollout", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.IsCoordinator) return TicketCommand.NotAllowed("withdraw", "coordinators");
            if (TicketCommand.NumberOrError(command, WithdrawUsage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, WithdrawUsage, "site", "reason") is { } unknown) return unknown;
            var siteName = command.Get("site")?.Trim();
            var reason = command.Get("reason")?.Trim();
            if (string.IsNullOrEmpty(siteName) || string.IsNullOrEmpty(reason))
                return $"Both site= and reason= are needed. {TicketCommand.Usage(WithdrawUsage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            var part = ticket.Participations.FirstOrDefault(p => string.Equals(p.SiteName, siteName, StringComparison.OrdinalIgnoreCase));
            if (part is null || !part.IsOpen)
            {
                var open = ticket.Participations.Where(p => p.IsOpen).Select(p => p.SiteName).ToList();
                var which = part is null ? $"{siteName} has not accepted {ticket.Number}" : $"{part.SiteName} is already {part.Status}";
                return $"{which}. " + (open.Count == 0 ? "No site is open on it." : $"Open sites: {string.Join(", ", open)}.");
            }
            if (ticket.Fire(TicketTrigger.Withdraw, ticket.Facts(hasReason: true), s.Caller, s.Now, reason) is { } refused)
                return $"{ticket.Number}: {refused}";
            part.WithdrawnAt = s.Now;
            part.WithdrawnBy = s.Caller.UserId;
            part.WithdrawReason = reason;
            ticket.Record(s.Caller, s.Now, $"site {part.SiteName} withdrawn", "accepted", "withdrawn", reason);
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"{part.SiteName} is withdrawn from {ticket.Number}. Reason: {reason}";
        });

    public static CommandDefinition Emergency => TicketCommand.Define(
        "emergency", "Coordinator", EmergencyUsage, "let a verified emergency release skip the staged rollout", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.IsCoordinator) return TicketCommand.NotAllowed("emergency", "coordinators");
            if (TicketCommand.NumberOrError(command, EmergencyUsage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, EmergencyUsage, "reason") is { } unknown) return unknown;
            if (command.Positionals.Count != 2 || !command.Positionals[1].Equals("skip", StringComparison.OrdinalIgnoreCase))
                return $"Say `skip` after the ticket number. {TicketCommand.Usage(EmergencyUsage)}";
            var reason = command.Get("reason")?.Trim();
            if (string.IsNullOrEmpty(reason))
                return $"Skipping the staged rollout needs a documented justification: reason=\"…\". {TicketCommand.Usage(EmergencyUsage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            if (ticket.Fire(TicketTrigger.EmergencySkip, ticket.Facts(hasReason: true), s.Caller, s.Now, reason) is { } refused)
                return $"{ticket.Number}: {refused}";
            ticket.Outcome = Outcome.Success;
            ticket.Summary = $"Emergency release: staged rollout skipped. Justification: {reason}";
            ticket.Record(s.Caller, s.Now, "staged rollout skipped (emergency)", null, Outcome.Success.ToName(), reason);
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"{ticket.Number} is closed without staged rollout (emergency): {ticket.Component} {ticket.Version} " +
                $"is released to production. Justification recorded: {reason}";
        });
}
