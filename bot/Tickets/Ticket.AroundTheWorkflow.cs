using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// What happens around the workflow without moving the state, each recorded as a typed change like the moves: where
/// the packages went in production (§2.4 3.9), the coordinators' direct work orders and calls for partners, a site's
/// "not this time" (seed 000, §2.4 3.3), and a §2.2 frequency warning. Each returns why not, having changed nothing.
/// </summary>
public sealed partial class Ticket
{
    /// <summary>A release that goes (or went) to production: closed with success or warning.</summary>
    public bool GoesToProduction => State == TicketState.Closed && Outcome is Tickets.Outcome.Success or Tickets.Outcome.Warning;

    /// <summary>Sites may still join: verified or rolling out.</summary>
    public bool TakesSites => State is TicketState.Verified or TicketState.RollingOut;

    /// <summary>No site has a part in it now (none accepted, or all withdrawn): what a call for partners answers.</summary>
    public bool HasNoPartner => Participations.All(p => p.WithdrawnAt is not null);

    /// <summary>§2.4 3.7: every accepted site is done or withdrawn, and at least one reported: a coordinator can close it.</summary>
    public bool IsReadyToClose => State == TicketState.RollingOut && Participations.Count > 0
        && Participations.All(p => !p.IsOpen) && Participations.Any(p => p.DoneAt is not null);

    /// <summary>§2.4 3.9: the packages are in the production repository at <paramref name="url"/> (again, if it moved).</summary>
    public string? SetProductionRepository(string url, Actor by, DateTimeOffset now)
    {
        if (!GoesToProduction)
            return $"{Number} is {State.ToName()}{(Outcome is { } o ? $" ({o.ToName()})" : "")}: only a release closed with success or warning " +
                "moves to production. `/close` it first.";
        if (ProductionRepositoryUrl == url) return $"{Number} already has its production repository at {url}.";
        var previous = ProductionRepositoryUrl;
        ProductionRepositoryUrl = url;
        Touch(now);
        Record(new ProductionRepositorySet(previous, url), by, now);
        return null;
    }

    /// <summary>A coordinator asks a site to take part (seed 000: direct work orders to the early adopters).</summary>
    public string? AskSite(long siteId, string siteName, string? note, Actor by, DateTimeOffset now)
    {
        if (!TakesSites)
            return $"{Number} is {State.ToName()}: sites can only be asked to take a verified or rolling-out release.";
        if (Participations.FirstOrDefault(p => p.SiteId == siteId) is { } part)
            return $"{siteName} already took part in {Number}: {part.Status}.";
        Touch(now);
        Record(new SiteAsked(siteId, siteName, note), by, now);
        return null;
    }

    /// <summary>A site says "not this time"; <see cref="Declines"/> must be loaded.</summary>
    public string? DeclineSite(long siteId, string siteName, string reason, Actor by, DateTimeOffset now)
    {
        if (!TakesSites)
            return $"{Number} is {State.ToName()}: there is nothing to decline; only a verified or rolling-out release waits for sites.";
        if (Participations.FirstOrDefault(p => p.SiteId == siteId) is { } part)
            return $"{siteName} already took part in {Number} ({part.Status}); a coordinator can `/withdraw` it instead.";
        if (Declines.FirstOrDefault(d => d.SiteId == siteId) is { } earlier)
            return $"{siteName} already said not this time to {Number} on {TicketCommand.When(earlier.DeclinedAt)}: {earlier.Reason}";
        Declines.Add(new SiteDecline
        {
            TicketId = Id, SiteId = siteId, SiteName = siteName, DeclinedBy = by.UserId, DeclinedByName = by.Name, DeclinedAt = now, Reason = reason,
        });
        Touch(now);
        Record(new SiteDeclined(siteId, siteName, reason), by, now);
        return null;
    }

    /// <summary>§2.4 3.3: nobody took the release; the coordinators call other sites.</summary>
    public string? CallForPartners(IReadOnlyList<string> sites, string? note, Actor by, DateTimeOffset now)
    {
        if (!TakesSites || !HasNoPartner)
            return $"{Number} is {State.ToName()}{(TakesSites ? $" with {Participations.Count(p => p.WithdrawnAt is null)} site(s) taking part" : "")}: " +
                "a call for partners is for a verified release that no site has taken.";
        if (IsRestricted)
            return $"{Number} is restricted: it may not be offered beyond the sites committed to its component. `/ask {Number} site=…` a committed site.";
        Touch(now);
        Record(new PartnersCalled(sites, note), by, now);
        return null;
    }

    /// <summary>§2.2's frequency rule was exceeded; recorded on a ticket just opened.</summary>
    public void NoteFrequency(FrequencyExceeded warning, Actor by, DateTimeOffset now) => Record(warning, by, now);
}
