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

    public static readonly CommandDefinition Close = new(
        "close", "Coordinator", CloseUsage, "close the ticket; success or warning releases to production", Writes: true, CloseAsync);

    /// <summary>The Close form on a coordinator's own release card: the same command, checked the same way.</summary>
    public static readonly CardVerbDefinition CloseCard = new(ReleaseNoticeCard.CloseVerb, "close", ["outcome", "summary"], CardVerbDefinition.TicketNumber);

    public static readonly CommandDefinition Withdraw = new(
        "withdraw", "Coordinator", WithdrawUsage, "take a silent site out of a staged rollout", Writes: true, WithdrawAsync);

    public static readonly CommandDefinition Emergency = new(
        "emergency", "Coordinator", EmergencyUsage, "let a verified emergency release skip the staged rollout", Writes: true, EmergencyAsync);

    private static async Task<Reply> CloseAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, CloseUsage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, CloseUsage, "outcome", "summary") is { } unknown) return unknown;
        if (command.Get("outcome") is not { } outcomeText)
            return Reply.No($"outcome= is missing: success, warning or reject. {TicketCommand.Usage(CloseUsage)}");
        if (!TicketNames.TryParse<Outcome>(outcomeText, out var outcome))
            return Reply.No($"Unknown outcome '{outcomeText}': use success, warning or reject. {TicketCommand.Usage(CloseUsage)}");
        var summary = command.Get("summary")?.Trim();
        if (string.IsNullOrEmpty(summary)) return Reply.No($"summary= is missing: the written summary of the staged rollout. {TicketCommand.Usage(CloseUsage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        if (ticket.Close(outcome, summary, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{ticket.Number} is closed: {outcome.ToName()}." + (outcome == Outcome.Reject
            ? " The release does not go to production."
            : $" {ticket.Component} {ticket.Version} is released to production.");
    }

    private static async Task<Reply> WithdrawAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, WithdrawUsage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, WithdrawUsage, "site", "reason") is { } unknown) return unknown;
        var siteName = command.Get("site")?.Trim();
        var reason = command.Get("reason")?.Trim();
        if (string.IsNullOrEmpty(siteName) || string.IsNullOrEmpty(reason))
            return Reply.No($"Both site= and reason= are needed. {TicketCommand.Usage(WithdrawUsage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        var part = ticket.Participations.FirstOrDefault(p => string.Equals(p.SiteName, siteName, StringComparison.OrdinalIgnoreCase));
        if (part is null || !part.IsOpen)
        {
            var open = ticket.Participations.Where(p => p.IsOpen).Select(p => p.SiteName).ToList();
            var which = part is null ? $"{siteName} has not accepted {ticket.Number}" : $"{part.SiteName} is already {part.Status}";
            return Reply.No($"{which}. " + (open.Count == 0 ? "No site is open on it." : $"Open sites: {string.Join(", ", open)}."));
        }
        if (ticket.Withdraw(part, reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{part.SiteName} is withdrawn from {ticket.Number}. Reason: {reason}";
    }

    private static async Task<Reply> EmergencyAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.Coordinator) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, EmergencyUsage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, EmergencyUsage, "reason") is { } unknown) return unknown;
        if (command.Positionals.Count != 2 || !command.Positionals[1].Equals("skip", StringComparison.OrdinalIgnoreCase))
            return Reply.No($"Say `skip` after the ticket number. {TicketCommand.Usage(EmergencyUsage)}");
        var reason = command.Get("reason")?.Trim();
        if (string.IsNullOrEmpty(reason))
            return Reply.No($"Skipping the staged rollout needs a documented justification: reason=\"…\". {TicketCommand.Usage(EmergencyUsage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        if (ticket.SkipStagedRollout(reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{ticket.Number} is closed without staged rollout (emergency): {ticket.Component} {ticket.Version} " +
            $"is released to production. Justification recorded: {reason}";
    }
}
