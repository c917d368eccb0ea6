using Rollout.Bot.Conversation;
using Rollout.Bot.Pilots;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// The registry's writes, each recorded as a <see cref="RegistryChange"/> with who made it. Callers check the rules
/// first (the commands and the import both do, with their own wording); these only write, in the caller's context.
/// </summary>
public sealed class RegistryOperations(ComponentCatalogue catalogue)
{
    public Site AddSite(RolloutDb db, Actor by, DateTimeOffset at, string name, string stack, PartnerLevel? level, string? tz)
    {
        var site = new Site { Name = name, Stack = stack, TimeZone = tz, CreatedAt = at };
        db.Sites.Add(site);
        if (level is { } l) db.Partnerships.Add(new Partnership { Site = site, Level = l, RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = at });
        db.RegistryChanges.Add(RegistryChange.Of(by, at, RegistryChangeKinds.SiteAdded, name, null,
            $"site {name} added ({stack}{(level is null ? "" : ", " + level.Value.ToString().ToLowerInvariant())}{(tz is null ? "" : ", " + tz)})"));
        return site;
    }

    /// <summary>
    /// Registers the partner levels not yet active and sets the time zone given (null: keep); true when something changed.
    /// <paramref name="active"/> are the site's active partner levels.
    /// </summary>
    public bool UpdateSite(RolloutDb db, Actor by, DateTimeOffset at, Site site, IReadOnlyCollection<PartnerLevel> levels,
        ICollection<PartnerLevel> active, string? tz)
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
        db.RegistryChanges.Add(RegistryChange.Of(by, at, RegistryChangeKinds.SiteUpdated, site.Name, null, string.Join("; ", changes)));
        return true;
    }

    public SiteAdmin AddAdmin(RolloutDb db, Actor by, DateTimeOffset at, Site site, string userId, string display, string? email)
    {
        var admin = new SiteAdmin { Site = site.Id == 0 ? site : null, SiteId = site.Id, UserId = userId, Name = display, Email = email, AddedAt = at };
        db.SiteAdmins.Add(admin);
        db.RegistryChanges.Add(RegistryChange.Of(by, at, RegistryChangeKinds.AdminAdded, site.Name, userId,
            $"{display} ({userId}) is an admin of {site.Name}"));
        return admin;
    }

    public bool UpdateAdminEmail(RolloutDb db, Actor by, DateTimeOffset at, Site site, SiteAdmin admin, string? email)
    {
        if (email is null || admin.Email == email) return false;
        admin.Email = email;
        db.RegistryChanges.Add(RegistryChange.Of(by, at, RegistryChangeKinds.AdminUpdated, site.Name, admin.UserId,
            $"e-mail address of {admin.UserId} changed"));
        return true;
    }

    /// <summary>Commits the site; a component the catalogue does not know joins it (IsNew then).</summary>
    public async Task<(Commitment Commitment, bool IsNew)> CommitAsync(RolloutDb db, Actor by, DateTimeOffset at, Site site, string component, string? os, string? arch,
        CancellationToken ct)
    {
        var isNew = await catalogue.EnsureAsync(db, component, site.Stack, by.UserId, ct);
        var commitment = new Commitment { Site = site.Id == 0 ? site : null, SiteId = site.Id, Component = component, Os = os, Arch = arch, CommittedAt = at };
        db.Commitments.Add(commitment);
        db.RegistryChanges.Add(RegistryChange.Of(by, at, RegistryChangeKinds.Committed, site.Name, component,
            $"{site.Name} committed to {Sites.Describe(component, os, arch)}{(isNew ? " (new in the catalogue)" : "")}"));
        return (commitment, isNew);
    }

}
