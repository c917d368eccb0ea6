using System.Globalization;

namespace Rollout.Bot.Cards;

/// <summary>Text helpers for card content and chat text.</summary>
public static class CardText
{
    private const string MarkdownSpecials = "\\`*[]<>";

    /// <summary>
    /// Text someone typed (a site name, a version, a reason), made inert for the markdown that Teams, Web Chat and Adaptive
    /// Card TextBlocks and FactSets render: the brackets of links and images, code, emphasis and HTML are backslash-escaped, so
    /// <c>[Approve me](https://evil.example)</c> shows as typed instead of as a link (issue 12.12), and <c>&lt;at&gt;</c>
    /// or HTML is not read as markup. Our own wording is not passed through here.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (MarkdownSpecials.Contains(ch, StringComparison.Ordinal)) escaped.Append('\\');
            escaped.Append(ch);
        }
        return escaped.ToString();
    }

    /// <summary>A moment as the Adaptive Card DATE/TIME functions, so each reader sees it in their own locale and zone.</summary>
    public static string LocalTime(DateTimeOffset at)
    {
        var iso = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{{{{DATE({iso}, SHORT)}}}} {{{{TIME({iso})}}}}";
    }
}
