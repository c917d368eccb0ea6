using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Notices.Mail;

/// <summary>
/// Turns a notice into an e-mail a person reads in any client: plain text and HTML alternatives of the same words (a
/// card's text blocks, facts and links become lines), and a Message-ID derived from the notice's key and recipient, so
/// a retry that reached the list twice is one message to mail clients and archives.
/// </summary>
public static partial class MailComposer
{
    public static MimeMessage Compose(BotMessage message, string dedupeKey, string to, MailOptions options)
    {
        var lines = Lines(message);
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(options.From!));
        mail.To.Add(MailboxAddress.Parse(to));
        mail.Subject = "[Rollout.Bot] " + Shorten(Plain(lines.FirstOrDefault() ?? message.Summary ?? "notice"), 120);
        mail.MessageId = MessageId(dedupeKey, to, options.Domain);
        mail.Headers.Add("Auto-Submitted", "auto-generated"); // RFC 3834: no vacation replies to the bot
        var body = new BodyBuilder
        {
            TextBody = string.Join("\n", lines.Select(Plain)) + "\n",
            HtmlBody = "<!DOCTYPE html><html><body>" + string.Concat(lines.Select(l => "<p>" + Html(l) + "</p>")) + "</body></html>",
        };
        mail.Body = body.ToMessageBody();
        return mail;
    }

    public static string MessageId(string dedupeKey, string to, string domain)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey + "\n" + to.ToLowerInvariant()));
        return $"{Convert.ToHexStringLower(hash)[..32]}@{domain}";
    }

    /// <summary>The text, then every card's words in reading order.</summary>
    internal static List<string> Lines(BotMessage message)
    {
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(message.Text)) lines.AddRange(message.Text.Split('\n').Where(l => l.Trim().Length > 0));
        foreach (var card in message.Cards) Walk(card, lines);
        if (lines.Count == 0 && message.Summary is { } summary) lines.Add(summary);
        return lines.Distinct().ToList();
    }

    private static void Walk(JsonElement element, List<string> lines)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Walk(item, lines);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object) return;
        var type = element.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "TextBlock" && element.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } s) lines.Add(s);
        if (type == "FactSet" && element.TryGetProperty("facts", out var facts))
            foreach (var fact in facts.EnumerateArray())
                lines.Add($"**{fact.GetProperty("title").GetString()}** {fact.GetProperty("value").GetString()}");
        if (type == "Action.OpenUrl" && element.TryGetProperty("url", out var url))
            lines.Add($"[{(element.TryGetProperty("title", out var title) ? title.GetString() : url.GetString())}]({url.GetString()})");
        foreach (var key in new[] { "body", "items", "columns", "actions" })
            if (element.TryGetProperty(key, out var children)) Walk(children, lines);
    }

    /// <summary>
    /// Markdown as it reads in plain text: emphasis marks dropped, links as "text (url)", and the backslashes that made typed
    /// text inert (<see cref="Cards.CardText.Escape"/>) dropped last, so a typed "[x](url)" reads as typed and is no link.
    /// </summary>
    internal static string Plain(string line) => Unescape(Link().Replace(Bold().Replace(line, "$1"), "$1 ($2)").Replace("`", ""));

    internal static string Html(string line)
    {
        var escaped = WebUtility.HtmlEncode(line);
        escaped = Bold().Replace(escaped, "<strong>$1</strong>");
        return HtmlUnescape().Replace(Link().Replace(escaped, m => $"<a href=\"{m.Groups[2].Value}\">{m.Groups[1].Value}</a>").Replace("`", ""), "");
    }

    private static string Unescape(string line) => Escaped().Replace(line, "$1");

    [GeneratedRegex(@"\\([\\`*\[\]()<>])")]
    private static partial Regex Escaped();

    [GeneratedRegex(@"\\(?=[\\*\[\]()]|&lt;|&gt;)")]
    private static partial Regex HtmlUnescape();

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"\[([^\]]+)\]\((https?://[^)\s]+)\)")]
    private static partial Regex Link();
}
