using System.Globalization;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>What ticket commands share: reading the ticket number, links and unknown keys, and the wording of their answers.</summary>
public static class TicketCommand
{
    public static string Usage(IReadOnlyList<string> usage) =>
        "Usage: " + string.Join(" · ", usage.Select(u => $"`{u}`"));

    /// <summary>The same answer for a ticket that does not exist and one the caller may not see.</summary>
    public static Reply NoSuchTicket(long number) =>
        Reply.No($"There is no ticket #{number}. `/tickets` lists the tickets you can see.");

    /// <summary>The ticket number: the first positional word, as <c>#42</c> or <c>42</c>.</summary>
    public static bool TryNumber(ParsedCommand command, out long number, int position = 0)
    {
        number = 0;
        if (command.Positionals.Count <= position) return false;
        var word = command.Positionals[position].TrimStart('#');
        return long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }

    /// <summary>The ticket number, or the message saying how to give it.</summary>
    public static Reply? NumberOrError(ParsedCommand command, IReadOnlyList<string> usage, out long number)
    {
        if (TryNumber(command, out number)) return null;
        var given = command.Positionals.Count == 0 ? "No ticket number given" : $"'{command.Positionals[0]}' is not a ticket number";
        return Reply.No($"{given}: write it as `#42`. {Usage(usage)}");
    }

    /// <summary>Named keys the command does not know, so a typo is not silently dropped.</summary>
    public static Reply? UnknownKeys(ParsedCommand command, IReadOnlyList<string> usage, params string[] known)
    {
        var unknown = command.Named.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        return unknown.Count == 0 ? null
            : Reply.No($"I don't know {string.Join(", ", unknown.Select(k => $"'{k}='"))} here. {Usage(usage)}");
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
