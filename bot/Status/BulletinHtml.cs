using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Rollout.Bot.Status;

/// <summary>
/// The archived bulletin (Markdown written for chat) as HTML for <c>/status/bulletins/N</c>, with Markdig. Raw HTML in
/// the text is escaped, not passed through, and a link whose address is not http(s) or a path on this site loses it,
/// so text people typed into a bulletin (a note, an agenda item) can never run script on the status page.
/// </summary>
public static class BulletinHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static string Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
            if (!IsSafe(link.Url)) link.Url = "#";
        foreach (var link in document.Descendants<AutolinkInline>())
            if (!link.IsEmail && !IsSafe(link.Url)) link.Url = "#";
        return document.ToHtml(Pipeline);
    }

    private static bool IsSafe(string? url) =>
        url is not null && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)));
}
