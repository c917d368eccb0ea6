using System.Globalization;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The notice card's buttons. The card's data is only a request: each click runs the typed command's own code
/// (<see cref="Accept"/>, <see cref="Report"/>) as the clicker, so roles, the site and the ticket's state are checked
/// afresh, and a click on a stale card is answered like the same command typed twice.
/// </summary>
public static class TicketCardActions
{
    public static CardVerbDefinition AcceptDefinition => new(ReleaseNoticeCard.AcceptVerb, click =>
        RunAsync(click, "accept", [], Accept.RunAsync));

    public static CardVerbDefinition ReportDefinition => new(ReleaseNoticeCard.ReportVerb, click =>
        RunAsync(click, "report", ReleaseNoticeCard.ReportInputs, Report.RunAsync));

    private static async Task RunAsync(CardActionContext click, string command, IReadOnlyList<string> inputs,
        Func<ParsedCommand, TicketSession, CancellationToken, Task<Reply>> body)
    {
        var ticket = click.GetString("ticket");
        if (ticket is null || !long.TryParse(ticket, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            Answer(click, new Reply("This button does not name a ticket. Type the command instead, e.g. `/" + command + " #42`."));
            return;
        }
        var named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // A card never names the site; a forged "site" still goes through the command's own check of the caller's sites.
        foreach (var input in inputs.Append("site"))
        {
            if (click.GetString(input) is { } value && !string.IsNullOrWhiteSpace(value)) named[input] = value;
        }
        var parsed = new ParsedCommand(command, [$"#{number}"], named, $"/{command} #{number}");
        var runner = click.Services.GetRequiredService<TicketRunner>();
        var reply = await runner.RunAsync(click.Turn, writes: true, s => body(parsed, s, click.Cancellation), click.Cancellation);
        Answer(click, reply);
    }

    /// <summary>
    /// Submit clicks are answered with a message; Execute clicks in the invoke response (the clicked card stays as it
    /// is), plus a message when the answer carries a card of its own, such as the choice of site.
    /// </summary>
    private static void Answer(CardActionContext click, Reply reply)
    {
        if (!click.IsExecute)
        {
            TicketCommand.Send(click.Turn, reply);
            return;
        }
        click.Turn.AnswerInvoke(reply.Text);
        if (reply.Card is not null) TicketCommand.Send(click.Turn, reply);
    }
}
