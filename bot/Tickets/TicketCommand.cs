using System.Globalization;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tickets;

/// <summary>The plumbing every ticket command shares: run through the runner, reply, and read common arguments.</summary>
public static class TicketCommand
{
    public static CommandDefinition Define(
        string name, string group, IReadOnlyList<string> usage, string summary, bool writes, Func<CommandContext, TicketSession, Task<Reply>> body) =>
        new(name, group, usage, summary, async ctx =>
        {
            var runner = ctx.Services.GetRequiredService<TicketRunner>();
            var reply = await runner.RunAsync(ctx.Turn, writes, session => body(ctx, session), ctx.Cancellation);
            Send(ctx.Turn, reply);
        });

    public static void Send(TurnContext turn, Reply reply)
    {
        turn.Reply(reply.Card is { } card ? BotMessage.WithCard(reply.Text, card) : reply.Text);
    }

    public static string Usage(IReadOnlyList<string> usage) =>
        "Usage: " + string.Join(" · ", usage.Select(u => $"`{u}`"));

    public static string NoSuchTicket(long number) =>
        $"There is no ticket #{number}. `/tickets` lists the tickets you can see.";

    public static string NotAllowed(string command, string roles) =>
        $"Only {roles} can use `/{command}`. A coordinator can grant roles.";

    /// <summary>The ticket number: the first positional word, as <c>#42</c> or <c>42</c>.</summary>
    public static bool TryNumber(ParsedCommand command, out long number, int position = 0)
    {
        number = 0;
        if (command.Positionals.Count <= position) return false;
        var word = command.Positionals[position].TrimStart('#');
        return long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    /// <summary>The ticket number, or the message saying how to give it.</summary>
    public static string? NumberOrError(ParsedCommand command, IReadOnlyList<string> usage, out long number)
    {
        if (TryNumber(command, out number)) return null;
        var given = command.Positionals.Count == 0 ? "No ticket number given" : $"'{command.Positionals[0]}' is not a ticket number";
        return $"{given}: write it as `#42`. {Usage(usage)}";
    }

    /// <summary>Named keys the command does not know, so a typo is not silently dropped.</summary>
    public static string? UnknownKeys(ParsedCommand command, IReadOnlyList<string> usage, params string[] known)
    {
        var unknown = command.Named.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        return unknown.Count == 0 ? null
            : $"I don't know {string.Join(", ", unknown.Select(k => $"'{k}='"))} here. {Usage(usage)}";
    }

    /// <summary>An absolute http(s) URL, or an error naming the field.</summary>
    public static bool TryUrl(string field, string? text, out string url, out string? error)
    {
        url = text?.Trim() ?? "";
        error = null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(uri.Host))
            return true;
        error = $"{field}= must be an absolute http(s) URL such as https://example.org/notes, not '{text}'";
        return false;
    }

    /// <summary>A comma-separated list of URLs (bugs=…), each checked; null when nothing was given.</summary>
    public static string? UrlList(string field, string? text, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var urls = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryUrl(field, part, out var url, out var error)) urls.Add(url);
            else problems.Add(error!);
        }
        return urls.Count == 0 ? null : string.Join('\n', urls);
    }

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
