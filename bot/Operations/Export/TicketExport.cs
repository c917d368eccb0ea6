using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Operations.Export;

/// <summary>Reads every ticket, with what happened to it, into the <see cref="TicketFile"/> that <c>import tickets</c> reads back.</summary>
public static class TicketExport
{
    public static async Task<TicketFile> ReadAsync(RolloutDb db, CancellationToken ct)
    {
        var tickets = await db.Tickets.AsNoTracking().Include(t => t.Participations).Include(t => t.Comments).Include(t => t.Declines)
            .Include(t => t.History).AsSplitQuery().OrderBy(t => t.Id).ToListAsync(ct);
        var steps = await db.TicketStepTimes.AsNoTracking().ToDictionaryAsync(s => s.TicketId, ct);
        var sites = await db.Sites.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return new TicketFile { Tickets = tickets.Select(t => Record(t, steps.GetValueOrDefault(t.Id), sites)).ToList() };
    }

    /// <summary>One ticket as the file writes it; <paramref name="sites"/> names each site id as the registry does now.</summary>
    public static TicketRecord Record(Ticket t, TicketStepTimes? steps, IReadOnlyDictionary<long, string> sites) => new()
    {
        Number = t.Id, Component = t.Component, Version = t.Version, Stack = t.Stack, Type = t.Type.ToName(), State = t.State.ToName(),
        Outcome = t.Outcome?.ToName(), Summary = t.Summary, Restricted = t.IsRestricted, SecurityAdvisoryUrl = t.SecurityAdvisoryUrl,
        DisclosedAt = TicketFile.Utc(t.DisclosedAt), UpdateCategory = t.UpdateCategory is { } c ? Pilots.UpdateCategories.ToName(c) : null,
        Os = t.Os, Arch = t.Arch, NotesUrl = t.NotesUrl, ChangelogUrl = t.ChangelogUrl, CertificationUrl = t.CertificationUrl,
        DocsUrl = t.DocsUrl, BugUrls = t.Bugs.ToList(), ProviderId = t.ProviderId, ProviderName = t.ProviderName,
        RepositoryUrl = t.RepositoryUrl, ProductionRepositoryUrl = t.ProductionRepositoryUrl,
        CreatedAt = TicketFile.Utc(t.CreatedAt), UpdatedAt = TicketFile.Utc(t.UpdatedAt),
        StepTimes = steps is null ? null : new StepTimesRecord(TicketFile.Utc(steps.UnverifiedAt), TicketFile.Utc(steps.VerifiedAt),
            TicketFile.Utc(steps.RollingOutAt), TicketFile.Utc(steps.ClosedAt), TicketFile.Utc(steps.RejectedAt)),
        Participations = t.Participations.OrderBy(p => p.AcceptedAt).ThenBy(p => p.Id).Select(p => new ParticipationRecord
        {
            Site = sites[p.SiteId], SiteName = p.SiteName, AcceptedBy = p.AcceptedBy, AcceptedByName = p.AcceptedByName,
            AcceptedAt = TicketFile.Utc(p.AcceptedAt), DoneAt = TicketFile.Utc(p.DoneAt), Outcome = p.Outcome?.ToName(), Report = p.Report,
            Hours = p.Hours, BugUrls = p.BugUrls, WithdrawnAt = TicketFile.Utc(p.WithdrawnAt), WithdrawnBy = p.WithdrawnBy,
            WithdrawReason = p.WithdrawReason,
        }).ToList(),
        Declines = t.Declines.OrderBy(d => d.DeclinedAt).ThenBy(d => d.Id).Select(d => new DeclineRecord
        {
            Site = sites[d.SiteId], SiteName = d.SiteName, DeclinedBy = d.DeclinedBy, DeclinedByName = d.DeclinedByName,
            DeclinedAt = TicketFile.Utc(d.DeclinedAt), Reason = d.Reason,
        }).ToList(),
        Comments = t.Comments.OrderBy(c => c.At).ThenBy(c => c.Id).Select(c => new CommentRecord
        {
            At = TicketFile.Utc(c.At), ByUserId = c.ByUserId, ByName = c.ByName, Text = c.Text,
        }).ToList(),
        History = t.History.OrderBy(h => h.Id).Select(h => History(h, sites)).ToList(),
    };

    private static HistoryRecord History(TicketHistory h, IReadOnlyDictionary<long, string> sites)
    {
        var change = h.Change;
        var siteId = SiteOf(change);
        var json = JsonNode.Parse(change.ToJson())!.AsObject();
        json.Remove("siteId"); // the database's own id; the entry names the site instead
        return new HistoryRecord
        {
            At = TicketFile.Utc(h.At), ByUserId = h.ByUserId, ByName = h.ByName,
            Site = siteId is { } id ? sites.GetValueOrDefault(id) : null, Change = json,
        };
    }

    /// <summary>The site a change is about, for the changes that carry one.</summary>
    public static long? SiteOf(TicketChange change) => change switch
    {
        SiteAccepted a => a.SiteId,
        SiteReported r => r.SiteId,
        SiteWithdrawn w => w.SiteId,
        SiteAsked a => a.SiteId,
        SiteDeclined d => d.SiteId,
        _ => null,
    };

    /// <summary>The same change about the site <paramref name="siteId"/> of this database.</summary>
    public static TicketChange WithSite(TicketChange change, long siteId) => change switch
    {
        SiteAccepted a => a with { SiteId = siteId },
        SiteReported r => r with { SiteId = siteId },
        SiteWithdrawn w => w with { SiteId = siteId },
        SiteAsked a => a with { SiteId = siteId },
        SiteDeclined d => d with { SiteId = siteId },
        _ => change,
    };

    /// <summary>Whether a change of this kind is about one site (then its entry must name it).</summary>
    public static bool NamesSite(TicketChange change) => change is SiteAccepted or SiteReported or SiteWithdrawn or SiteAsked or SiteDeclined;
}
