using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>The technology unit's decision (seed 002 §2.4 step 2): <c>/verify #N repo=URL</c> or <c>/reject #N reason="…"</c>.</summary>
public static class Verification
{
    public static readonly IReadOnlyList<string> VerifyUsage = ["/verify #N repo=URL"];
    public static readonly IReadOnlyList<string> RejectUsage = ["/reject #N reason=\"…\""];

    public static CommandDefinition Verify => TicketCommand.Define(
        "verify", "Technology unit", VerifyUsage, "verified: packages are in the staged-rollout repository", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.Has(Role.TechnologyUnit)) return TicketCommand.NotAllowed("verify", "the technology unit");
            if (TicketCommand.NumberOrError(command, VerifyUsage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, VerifyUsage, "repo") is { } unknown) return unknown;
            if (command.Get("repo") is not { } repoText)
                return $"The staged-rollout repository URL is missing: add repo=https://…. {TicketCommand.Usage(VerifyUsage)}";
            if (!TicketCommand.TryUrl("repo", repoText, out var repo, out var error)) return $"{error}. {TicketCommand.Usage(VerifyUsage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            var previous = ticket.RepositoryUrl;
            if (ticket.Fire(TicketTrigger.Verify, ticket.Facts() with { HasRepositoryUrl = true }, s.Caller, s.Now) is { } refused)
                return $"{ticket.Number}: {refused}";
            ticket.RepositoryUrl = repo;
            ticket.Record(s.Caller, s.Now, "repository", previous, repo);
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"{ticket.Number} is verified; staged-rollout repository {repo}. Early adopters can now `/accept {ticket.Number}`.";
        });

    public static CommandDefinition Reject => TicketCommand.Define(
        "reject", "Technology unit", RejectUsage, "reject the release at verification", writes: true, async (ctx, s) =>
        {
            var command = ctx.Command;
            if (!s.Caller.Has(Role.TechnologyUnit)) return TicketCommand.NotAllowed("reject", "the technology unit");
            if (TicketCommand.NumberOrError(command, RejectUsage, out var number) is { } bad) return bad;
            if (TicketCommand.UnknownKeys(command, RejectUsage, "reason") is { } unknown) return unknown;
            var reason = command.Get("reason")?.Trim();
            if (string.IsNullOrEmpty(reason)) return $"Say why with reason=\"…\". {TicketCommand.Usage(RejectUsage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            if (ticket.Fire(TicketTrigger.Reject, ticket.Facts(hasReason: true), s.Caller, s.Now, reason) is { } refused)
                return $"{ticket.Number}: {refused}";
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"{ticket.Number} is rejected. Reason: {reason}";
        });
}
