using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Status;

/// <summary>One release announced to production: closed with success or warning, and public (a security release once disclosed).</summary>
public sealed record Announcement(long Id, string Component, string Version, string Stack, string Type, Outcome Outcome, string? NotesUrl,
    string? Summary, DateTimeOffset ClosedAt, string? SecurityAdvisoryUrl = null);

/// <summary>An entry a feature adds to the feed (a pilot's decision, say); <see cref="Id"/> is the tag URI's specific part, e.g. <c>pilot/3/decision</c>.</summary>
public sealed record FeedEntry(string Id, string Title, DateTimeOffset Updated, string? Link, string Category, string Summary);

/// <summary>What a feed source is given.</summary>
public sealed record FeedContext(RolloutDb Db, string BaseUrl, CancellationToken Ct);

/// <summary>Entries a feature adds to <c>/feed.atom</c> (never about a restricted release); registered with <c>AddContribution&lt;FeedSource&gt;</c>.</summary>
public delegate Task<IReadOnlyList<FeedEntry>> FeedSource(FeedContext context);

/// <summary>
/// The "RSS feed foreseen" of seed 002 §5, as Atom 1.0 (RFC 4287): one entry per production release. Ids are tag
/// URIs built from the ticket number, so a reader never sees an entry twice. A security release appears once it is
/// disclosed (<see cref="Visibility.Public"/>), dated at its disclosure and linking its advisory.
/// </summary>
public static class AtomFeed
{
    public const int Entries = 50;
    /// <summary>The date part of the tag URIs (RFC 4151): the year the feed began; changing it would re-announce every release.</summary>
    public const string TagDate = "2026";

    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static async Task<IReadOnlyList<Announcement>> LoadAsync(RolloutDb db, CancellationToken ct = default)
    {
        var tickets = await db.Tickets.AsNoTracking().Where(Visibility.Public)
            .Where(t => t.State == TicketState.Closed && (t.Outcome == Outcome.Success || t.Outcome == Outcome.Warning))
            .OrderByDescending(t => t.UpdatedAt).Take(Entries).ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var closed = await db.TicketStepTimes.AsNoTracking().Where(s => ids.Contains(s.TicketId) && s.ClosedAt != null)
            .ToDictionaryAsync(s => s.TicketId, s => s.ClosedAt!.Value, ct);
        // A security release is announced when it is disclosed, so a reader sees it as new then.
        return tickets.Select(t => new Announcement(t.Id, t.Component, t.Version, t.Stack, t.Type.ToName(), t.Outcome!.Value, t.NotesUrl, t.Summary,
                t.DisclosedAt ?? closed.GetValueOrDefault(t.Id, t.UpdatedAt), t.SecurityAdvisoryUrl))
            .OrderByDescending(a => a.ClosedAt).ToList();
    }

    /// <param name="baseUrl">The public address of the bot, without a trailing slash.</param>
    /// <param name="tagAuthority">The tag URI authority (RFC 4151), a domain such as <c>rollout.example.org</c>.</param>
    public static string Render(IReadOnlyList<Announcement> entries, IReadOnlySet<long> restricted, string baseUrl, string tagAuthority, DateTimeOffset now,
        IReadOnlyList<FeedEntry>? more = null)
    {
        more ??= [];
        var updated = entries.Select(e => e.ClosedAt).Concat(more.Select(e => e.Updated)).DefaultIfEmpty(now).Max();
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", $"tag:{tagAuthority},{TagDate}:feed/production"),
            new XElement(Atom + "title", "Staged rollout: releases to production"),
            new XElement(Atom + "subtitle", "Middleware releases that passed the staged rollout and are ready for deployment."),
            new XElement(Atom + "updated", Stamp(updated)),
            new XElement(Atom + "author", new XElement(Atom + "name", "Rollout.Bot staged-rollout group")),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("type", "application/atom+xml"), new XAttribute("href", $"{baseUrl}/feed.atom")),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", $"{baseUrl}/status")),
            entries.Select(e => new XElement(Atom + "entry",
                new XElement(Atom + "id", $"tag:{tagAuthority},{TagDate}:release/{e.Id}"),
                new XElement(Atom + "title", $"{e.Component} {e.Version} released to production"),
                new XElement(Atom + "updated", Stamp(e.ClosedAt)),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("href", e.NotesUrl ?? $"{baseUrl}/status")),
                new XElement(Atom + "category", new XAttribute("term", e.Stack)),
                new XElement(Atom + "summary", Summary(e, restricted))))
                .Concat(more.Select(e => new XElement(Atom + "entry",
                    new XElement(Atom + "id", $"tag:{tagAuthority},{TagDate}:{e.Id}"),
                    new XElement(Atom + "title", e.Title),
                    new XElement(Atom + "updated", Stamp(e.Updated)),
                    new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("href", e.Link ?? $"{baseUrl}/status")),
                    new XElement(Atom + "category", new XAttribute("term", e.Category)),
                    new XElement(Atom + "summary", e.Summary))))
                .OrderByDescending(x => x.Element(Atom + "updated")!.Value, StringComparer.Ordinal));
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings)) new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Save(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Summary(Announcement e, IReadOnlySet<long> restricted)
    {
        var text = $"{e.Component} {e.Version} ({e.Stack}, {e.Type} release) finished the staged rollout with outcome {e.Outcome.ToName()}.";
        if (e.SecurityAdvisoryUrl is not null) text += $" It is a security update: read the advisory at {e.SecurityAdvisoryUrl}.";
        if (e.Outcome == Outcome.Warning) text += " Read the release notes for the changes requested to installation or configuration.";
        return e.Summary is { Length: > 0 } s ? $"{text} {PublicText.Scrub(s, restricted)}" : text;
    }

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
