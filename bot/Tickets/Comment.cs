using System.Text.RegularExpressions;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary><c>/comment #N "…"</c>: anyone who can see the ticket may add a remark; it never changes the ticket's state.</summary>
public static partial class Comment
{
    public static readonly IReadOnlyList<string> Usage = ["/comment #N \"…\""];

    public static CommandDefinition Definition => TicketCommand.Define(
        "comment", "Everyone", Usage, "add a comment to a ticket you can see", writes: true, async (ctx, s) =>
        {
            if (TicketCommand.NumberOrError(ctx.Command, Usage, out var number) is { } bad) return bad;
            // The raw text, not the parsed words: a comment may contain '=' and should keep its spacing.
            var match = TextPattern().Match(ctx.Command.Raw);
            var text = match.Success ? match.Groups[1].Value.Trim().Trim('"', '“', '”').Trim() : "";
            if (text.Length == 0) return $"The comment is empty. {TicketCommand.Usage(Usage)}";

            var ticket = await s.FindAsync(number, ctx.Cancellation);
            if (ticket is null) return TicketCommand.NoSuchTicket(number);
            s.Db.TicketComments.Add(new TicketComment
            {
                TicketId = ticket.Id, At = s.Now, ByUserId = s.Caller.UserId, ByName = s.Caller.Name, Text = text,
            });
            await s.Db.SaveChangesAsync(ctx.Cancellation);
            return $"Comment added to {ticket.Number}.";
        });

    [GeneratedRegex(@"^\S+\s+#?\d+\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex TextPattern();
}
