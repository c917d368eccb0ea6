using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>Every change to a site's registry entry is kept with who and when, and read back by <c>/site show</c>.</summary>
public static class RegistryLog
{
    /// <summary>Adds the change to the command's context; the command's own save keeps it with the change itself.</summary>
    public static void Record(RolloutDb db, Site site, Actor by, DateTimeOffset at, string what, string? from = null, string? to = null,
        string? reason = null) =>
        db.RegistryChanges.Add(new RegistryChange
        {
            SiteId = site.Id, Site = site.Id == 0 ? site : null, At = at, ByUserId = by.UserId, ByName = by.Name,
            What = what, From = from, To = to, Reason = reason,
        });

    public static Task<List<RegistryChange>> OfAsync(RolloutDb db, long siteId, CancellationToken ct) =>
        db.RegistryChanges.AsNoTracking().Where(c => c.SiteId == siteId).OrderBy(c => c.Id).ToListAsync(ct);

    /// <summary>"2026-12-02 14:00 UTC Coord: renamed Alpha → Alpha-2 (merger)"; e-mail values only for coordinators.</summary>
    public static string Line(RegistryChange c, bool showEmail)
    {
        var hide = c.What == RegistryChange.EmailChange && !showEmail;
        var values = c.From is null && c.To is null ? "" : hide ? " (hidden: personal data)"
            : $" {(c.From is null ? "—" : Cards.CardText.Escape(c.From))} → {(c.To is null ? "—" : Cards.CardText.Escape(c.To))}";
        // Names, values and reasons were typed by people: inert here as everywhere (12.12).
        return $"- {Tickets.TicketCommand.When(c.At)} {Cards.CardText.Escape(c.ByName)}: {Cards.CardText.Escape(c.What)}{values}{(c.Reason is null ? "" : $" ({Cards.CardText.Escape(c.Reason)})")}";
    }
}
