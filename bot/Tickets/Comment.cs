using System.Text.RegularExpressions;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary><c>/comment #N "…"</c>: anyone who can see the ticket may add a remark; it never changes the ticket's state.</summary>
public static partial class Comment
{
    public static readonly IReadOnlyList<string> Usage = ["/comment #N \"…\""];

    public static readonly CommandDefinition Definition = new(
        "comment", "Everyone", Usage, "add a comment to a ticket you can see", Writes: true, RunAsync);

    private static async Task<Reply> RunAsync(CommandSession s)
    {
        if (TicketCommand.NumberOrError(s.Command, Usage, out var number) is { } bad) return bad;
        // The raw text, not the parsed words: a comment may contain '=' and should keep its spacing.
        var match = TextPattern().Match(s.Command.Raw);
        var text = match.Success ? match.Groups[1].Value.Trim().Trim('"', '“', '”').Trim() : "";
        if (text.Length == 0) return Reply.No($"The comment is empty. {TicketCommand.Usage(Usage)}");

        var ticket = await s.FindTicketAsync(number);
        if (ticket is null) return TicketCommand.NoSuchTicket(number);
        ticket.Comment(text, s.Actor, s.Now);
        return $"Comment added to {ticket.Number}.";
    }

    [GeneratedRegex(@"^\S+\s+#?\d+\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex TextPattern();
}
