using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/card #N</c> and the release card's "My actions" button (and Teams' refresh of it): the release card as the
/// asker sees it, with the buttons of what their own sites can do now. A click is answered with that card in place of
/// the shared one, which only the clicker sees; typed, the card is the reply. It changes nothing.
/// </summary>
public static class ViewCard
{
    public static readonly IReadOnlyList<string> Usage = ["/card #N"];

    public static CommandDefinition Definition(WorkingCalendars calendars) => new(
        "card", "Everyone", Usage, "the release card of a ticket with the buttons your sites can use", Writes: false,
        s => RunAsync(s, calendars));

    public static readonly CardVerbDefinition Card = new(ReleaseNoticeCard.ViewVerb, "card", [], CardVerbDefinition.TicketNumber);

    private static async Task<Reply> RunAsync(CommandSession s, WorkingCalendars calendars)
    {
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage) is { } unknown) return unknown;
        // The one visibility rule: a restricted release is "no such ticket" to whoever may not see it.
        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        if (ticket.State is TicketState.Certified or TicketState.Unverified)
            return Reply.No($"{ticket.Number} is {ticket.State.ToName()}: its release card is posted when it is verified. `/ticket {ticket.Number}` shows where it stands.");

        var facts = await ReleaseCardFacts.ReadAsync(s.Db, ticket, calendars, null, s.Ct);
        var mine = await ViewerActions.ForAsync(s.Db, ticket, s.Caller.AdminOfSiteIds, s.Caller.IsCoordinator, s.Ct);
        var card = ReleaseNoticeCard.ForViewer(ticket, facts, mine).ToJson();
        return s.Chat.IsClick ? new Reply(mine.Describe(ticket)) { UpdatedCard = card } : Reply.WithCard("", card);
    }
}
