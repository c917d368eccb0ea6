using System.Text;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Keeps Markdown lists lists in Teams and Web Chat: a line right after a list item is read as more of that item
/// (the sentence after a list glued onto its last item), and Teams shows a list started right under a sentence as
/// plain lines. A blank line is put where a list starts or ends; indented lines stay with their item, fenced code is
/// left alone.
/// </summary>
internal static class MarkdownLists
{
    public static string? Separate(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('\n')) return text;
        var lines = text.Split('\n');
        var result = new StringBuilder(text.Length + 16);
        var fenced = false;
        var previous = Kind.Blank;
        foreach (var line in lines)
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            var kind = fenced ? Kind.Text : KindOf(line);
            if (!fenced && (kind == Kind.Item && previous == Kind.Text || kind == Kind.Text && previous is Kind.Item or Kind.Indented))
                result.Append('\n');
            result.Append(line).Append('\n');
            // An indented line under an item belongs to it; elsewhere it is just text.
            previous = kind == Kind.Indented && previous is not (Kind.Item or Kind.Indented) ? Kind.Text : kind;
        }
        return result.ToString(0, result.Length - 1);
    }

    private enum Kind { Blank, Item, Indented, Text }

    private static Kind KindOf(string line)
    {
        if (line.Trim().Length == 0) return Kind.Blank;
        if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)) return Kind.Item;
        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits])) digits++;
        if (digits > 0 && digits + 1 < line.Length && line[digits] is '.' or ')' && line[digits + 1] == ' ') return Kind.Item;
        return line[0] is ' ' or '\t' ? Kind.Indented : Kind.Text;
    }
}
