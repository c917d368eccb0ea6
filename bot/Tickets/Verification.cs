using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>The technology unit's decision (seed 002 §2.4 step 2): <c>/verify #N repo=URL</c> or <c>/reject #N reason="…"</c>.</summary>
public static class Verification
{
    public static readonly IReadOnlyList<string> VerifyUsage = ["/verify #N repo=URL"];
    public static readonly IReadOnlyList<string> RejectUsage = ["/reject #N reason=\"…\""];

    public static readonly CommandDefinition Verify = new(
        "verify", "Technology unit", VerifyUsage, "verified: packages are in the staged-rollout repository", Writes: true, VerifyAsync);

    public static readonly CommandDefinition Reject = new(
        "reject", "Technology unit", RejectUsage, "reject the release at verification", Writes: true, RejectAsync);

    private static async Task<Reply> VerifyAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.TechnologyUnit) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, VerifyUsage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, VerifyUsage, "repo") is { } unknown) return unknown;
        if (command.Get("repo") is not { } repoText)
            return Reply.No($"The staged-rollout repository URL is missing: add repo=https://…. {TicketCommand.Usage(VerifyUsage)}");
        if (!TicketCommand.TryUrl("repo", repoText, out var repo, out var error)) return Reply.No($"{error}. {TicketCommand.Usage(VerifyUsage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        if (ticket.Verify(repo, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{ticket.Number} is verified; staged-rollout repository {repo}. Early adopters can now `/accept {ticket.Number}`.";
    }

    private static async Task<Reply> RejectAsync(CommandSession s)
    {
        var command = s.Command;
        if (s.RequireToUse(Role.TechnologyUnit) is { } refused) return refused;
        if (TicketCommand.NumberOrError(command, RejectUsage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(command, RejectUsage, "reason") is { } unknown) return unknown;
        var reason = command.Get("reason")?.Trim();
        if (string.IsNullOrEmpty(reason)) return Reply.No($"Say why with reason=\"…\". {TicketCommand.Usage(RejectUsage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        if (ticket.Reject(reason, s.Actor, s.Now) is { } why) return Reply.No(why);
        return $"{ticket.Number} is rejected. Reason: {reason}";
    }
}
