using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/production #N repo=URL</c>: seed 002 §2.4 3.9, closing with success or warning "triggers the transfer of the
/// packages from the Staged Rollout repository to the Production one". The repository managers do the transfer (they
/// are told at the close) and record where the packages are now; the broadcast to every site goes out then, pointing
/// there, or at disclosure for a restricted release. Coordinators may record it too.
/// </summary>
public static class Production
{
    public static readonly IReadOnlyList<string> Usage = ["/production #N repo=URL"];

    public static readonly CommandDefinition Definition = new(
        "production", "Repository", Usage, "the packages are in the production repository: record where (the broadcast points there)",
        Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (!(s.Caller.Has(Role.Repository) || s.Caller.IsCoordinator))
            return Refusals.Role(s.Caller, "repository managers and coordinators", "use `/production`");
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage, "repo") is { } unknown) return unknown;
        if (s.Command.Get("repo") is not { } repoText)
            return Reply.No($"The production repository URL is missing: add repo=https://…. {TicketCommand.Usage(Usage)}");
        if (!TicketCommand.TryUrl("repo", repoText, out var repo, out var error)) return Reply.No($"{error}. {TicketCommand.Usage(Usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        var previous = ticket.ProductionRepositoryUrl;
        if (ticket.SetProductionRepository(repo, s.Actor, s.Now) is { } why) return Reply.No(why);

        var what = $"{ticket.Number} {ticket.Component} {ticket.Version} is in the production repository {repo}";
        if (ticket.IsRestricted)
            return $"{what}. It stays embargoed: the broadcast waits for a coordinator's `/disclose {ticket.Number}`." +
                (Visibility.SeesAllRestricted(s.Caller) ? "" : " Until then it leaves your view: the repository step is done.");
        var key = $"ticket:{ticket.Id}:production";
        return previous is not null && await s.Db.Notices.AnyAsync(n => n.DedupeKey == key, s.Ct)
            ? $"{what} (it was {previous}). The broadcast already went out and is not sent again; `/comment {ticket.Number} \"…\"` to tell the sites taking part."
            : $"{what}. The broadcast to every site is on its way.";
    }
}
