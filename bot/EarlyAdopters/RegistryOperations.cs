using Rollout.Bot.Conversation;
using Rollout.Bot.Pilots;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// The registry's writes for the operator's import, each recorded in the site's registry history (<see cref="RegistryLog"/>,
/// read by <c>/site show</c>) with who made it: the operator. The import checks the rules first; these only write.
/// </summary>
public sealed class RegistryOperations(ComponentCatalogue catalogue)
{
    public Site AddSite(RolloutDb db, Actor by, DateTimeOffset at, string name, string stack, PartnerLevel? level, string? tz, string? why = null)
    {
        var site = new Site { Name = name, Stack = stack, TimeZone = tz, CreatedAt = at };
        db.Sites.Add(site);
        if (level is { } l) db.Partnerships.Add(new Partnership { Site = site, Level = l, RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = at });
        RegistryLog.Record(db, site, by, at, "site added",
            to: $"{stack}{(level is null ? "" : ", " + SiteEdits.LevelName(level))}{(tz is null ? "" : ", " + tz)}", reason: why);
        return site;
    }

    /// <summary>
    /// Registers the partner levels not yet active and sets the time zone given (null: keep); true when something changed.
    /// <paramref name="active"/> are the site's active partner levels.
    /// </summary>
    public bool UpdateSite(RolloutDb db, Actor by, DateTimeOffset at, Site site, IReadOnlyCollection<PartnerLevel> levels,
        ICollection<PartnerLevel> active, string? tz, string? why = null)
    {
        var changes = new List<string>();
        foreach (var level in levels.Where(l => !active.Contains(l)))
        {
            db.Partnerships.Add(new Partnership
            {
                Site = site.Id == 0 ? site : null, SiteId = site.Id, Level = level, RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = at,
            });
            active.Add(level);
            changes.Add($"registered as {Partners.Name(level)} partner");
        }
        if (tz is not null && site.TimeZone != tz)
        {
            changes.Add($"time zone {site.TimeZone ?? "(coordinators')"} → {tz}");
            site.TimeZone = tz;
        }
        if (changes.Count == 0) return false;
        RegistryLog.Record(db, site, by, at, "site updated", to: string.Join("; ", changes), reason: why);
        return true;
    }

    public SiteAdmin AddAdmin(RolloutDb db, Actor by, DateTimeOffset at, Site site, string userId, string display, string? email, string? why = null)
    {
        var admin = new SiteAdmin { Site = site.Id == 0 ? site : null, SiteId = site.Id, UserId = userId, Name = display, Email = email, AddedAt = at };
        db.SiteAdmins.Add(admin);
        RegistryLog.Record(db, site, by, at, "admin added", to: $"{display} ({userId})", reason: why);
        return admin;
    }

    public bool UpdateAdminEmail(RolloutDb db, Actor by, DateTimeOffset at, Site site, SiteAdmin admin, string? email)
    {
        if (email is null || admin.Email == email) return false;
        admin.Email = email;
        RegistryLog.Record(db, site, by, at, RegistryChange.EmailChange, null, email, reason: admin.UserId);
        return true;
    }

    /// <summary>Commits the site; a component the catalogue does not know joins it (IsNew then).</summary>
    public async Task<(Commitment Commitment, bool IsNew)> CommitAsync(RolloutDb db, Actor by, DateTimeOffset at, Site site, string component, string? os, string? arch,
        CancellationToken ct, string? why = null)
    {
        var isNew = await catalogue.EnsureAsync(db, component, site.Stack, by.UserId, ct);
        var commitment = new Commitment { Site = site.Id == 0 ? site : null, SiteId = site.Id, Component = component, Os = os, Arch = arch, CommittedAt = at };
        db.Commitments.Add(commitment);
        RegistryLog.Record(db, site, by, at, "committed", to: Sites.Describe(component, os, arch) + (isNew ? " (new in the catalogue)" : ""), reason: why);
        return (commitment, isNew);
    }

}
