using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// <c>/card #N</c> and the release card's "My actions" button (and Teams' refresh of it): the release card as the
/// asker sees it, with the buttons of what their own sites can do now. A click is answered with that card in place of
/// the shared one, which only the clicker sees; typed, the card is the reply. It changes nothing of the ticket; a
/// clicked copy of the card the bot had lost track of (a crash) is tracked again.
/// </summary>
public static class ViewCard
{
    public static readonly IReadOnlyList<string> Usage = ["/card #N"];

    public static CommandDefinition Definition(WorkingCalendars calendars, Notices.Outbox outbox) => new(
        "card", "Everyone", Usage, "the release card of a ticket with the buttons your sites can use", Writes: false,
        s => RunAsync(s, calendars, outbox));

    public static readonly CardVerbDefinition Card = new(ReleaseNoticeCard.ViewVerb, "card", [], CardVerbDefinition.TicketNumber);

    private static async Task<Reply> RunAsync(CommandSession s, WorkingCalendars calendars, Notices.Outbox outbox)
    {
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        if (TicketCommand.UnknownKeys(s.Command, Usage) is { } unknown) return unknown;
        // The one visibility rule: a restricted release is "no such ticket" to whoever may not see it.
        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return await s.NoTicketAsync(number);
        if (ticket.State is TicketState.Certified or TicketState.Unverified)
            return Reply.No($"{ticket.Number} is {ticket.State.ToName()}: its release card is posted when it is verified. `/ticket {ticket.Number}` shows where it stands.");

        // The clicked message is a copy of this release card (only that card has this button and this refresh): if the bot
        // lost track of it in a crash, it is tracked from now on.
        if (s.Chat.IsClick) await outbox.AdoptCopyAsync(s.Db, s.Chat, ReleaseNoticeCard.CardKey(ticket.Id), s.Ct);
        var facts = await ReleaseCardFacts.ReadAsync(s.Db, ticket, calendars, null, s.Ct);
        var mine = await ViewerActions.ForAsync(s.Db, ticket, s.Caller.AdminOfSiteIds, s.Caller.IsCoordinator, s.Ct);
        var card = ReleaseNoticeCard.ForViewer(ticket, facts, mine).ToJson();
        return s.Chat.IsClick ? new Reply(mine.Describe(ticket)) { UpdatedCard = card } : Reply.WithCard("", card);
    }
}
