using System.Text;
using System.Xml.Linq;
using Rollout.Bot.Status;

namespace Rollout.Bot.Tests.Status;

/// <summary>/feed.atom and /calendar.ics over the seeded history; the Node interop test parses the same outputs independently.</summary>
public sealed class FeedTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>Where the interop test (tests/interop/feeds.test.mjs) reads the outputs from; gitignored.</summary>
    public static string GeneratedFolder => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../interop/fixtures-generated"));

    internal static void Keep(string name, string content)
    {
        Directory.CreateDirectory(GeneratedFolder);
        File.WriteAllText(Path.Combine(GeneratedFolder, name), content, new UTF8Encoding(false));
    }

    [Fact]
    public async Task AtomFeed_HasOneEntryPerProductionRelease_NoRestricted()
    {
        using var world = await SeededHistory.StartAsync(new() { ["Status:Authority"] = "rollout.example.org" });
        var response = await world.App.CreateClient().GetAsync("/feed.atom");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Keep("feed.atom", text);
        var feed = XDocument.Parse(text).Root!;

        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal("tag:rollout.example.org,2026:feed/production", feed.Element(Atom + "id")?.Value);
        Assert.Equal("2026-02-17T08:00:00Z", feed.Element(Atom + "updated")?.Value);
        Assert.Contains(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self" && ((string?)l.Attribute("href"))!.EndsWith("/feed.atom", StringComparison.Ordinal));
        Assert.NotNull(feed.Element(Atom + "author")?.Element(Atom + "name"));
        var entries = feed.Elements(Atom + "entry").ToList();
        // #2 (warning, 17 Feb), #1 (success, 6 Feb), #7 (success, January): newest first; not #3 (restricted), not #4 (rejected).
        Assert.Equal(["tag:rollout.example.org,2026:release/2", "tag:rollout.example.org,2026:release/1", "tag:rollout.example.org,2026:release/7"],
            entries.Select(e => e.Element(Atom + "id")!.Value));
        Assert.Equal("cream 2.0 released to production", entries[0].Element(Atom + "title")?.Value);
        Assert.Equal("https://rel.example.org/cream/2.0", (string?)entries[0].Element(Atom + "link")?.Attribute("href"));
        Assert.Contains("outcome warning", entries[0].Element(Atom + "summary")?.Value);
        Assert.Contains("(e-mail hidden)", entries[0].Element(Atom + "summary")?.Value);
        Assert.DoesNotContain("dpm", text);
    }

    [Fact]
    public async Task Calendar_HasMeetingsAcceptanceAndReportDueDates_NoRestricted()
    {
        using var world = await SeededHistory.StartAsync();
        var response = await world.App.CreateClient().GetAsync("/calendar.ics");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Keep("calendar.ics", ics);

        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", ics);
        Assert.EndsWith("END:VCALENDAR\r\n", ics);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.All(ics.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
        var unfolded = ics.Replace("\r\n ", "", StringComparison.Ordinal);
        // Operations meeting: Monday 16:00 Zurich = 15:00 UTC, today.
        Assert.Contains("UID:meeting-operations-meeting-20260302T150000Z@rollout-bot.invalid", unfolded);
        // #5 verified Thu 26 Feb 09:00 UTC: acceptance due one working day later.
        Assert.Contains("UID:ticket-5-acceptance@rollout-bot.invalid\r\nDTSTAMP:20260302T120000Z\r\nDTSTART:20260227T090000Z", unfolded);
        // #6 accepted by Alpha Thu 26 Feb 12:00 UTC: 2 working days of a revision (Mon 2 Mar 12:00) + 5 of grace.
        Assert.Contains("UID:ticket-6-site-1-report@rollout-bot.invalid\r\nDTSTAMP:20260302T120000Z\r\nDTSTART:20260309T120000Z", unfolded);
        Assert.Contains("SUMMARY:Report due: #6 apel 5.0 at Alpha", unfolded);
        Assert.DoesNotContain("ticket-3-", unfolded);
        Assert.DoesNotContain("dpm", unfolded);
    }

    [Fact]
    public async Task Calendar_IsTheSameOnEveryFetch()
    {
        using var world = await SeededHistory.StartAsync();
        var client = world.App.CreateClient();
        Assert.Equal(await client.GetStringAsync("/calendar.ics"), await client.GetStringAsync("/calendar.ics"));
    }

    [Theory]
    [InlineData("a,b;c\\d\ne", "a\\,b\\;c\\\\d\\ne")]
    [InlineData("line\r\nbreak", "line\\nbreak")]
    public void ICalendarText_EscapesCommaSemicolonBackslashAndNewline(string text, string expected) =>
        Assert.Equal(expected, ICalendarFile.Escape(text));

    [Fact]
    public void ICalendarLines_FoldAt75Octets_NeverInsideACharacter()
    {
        var line = "SUMMARY:" + string.Concat(Enumerable.Repeat("Zürich é ", 30));
        var folded = ICalendarFile.Fold(line);
        var parts = folded.Split("\r\n");
        Assert.True(parts.Length > 1);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 75));
        Assert.All(parts.Skip(1), p => Assert.StartsWith(" ", p));
        Assert.Equal(line, folded.Replace("\r\n ", "", StringComparison.Ordinal));
    }
}
