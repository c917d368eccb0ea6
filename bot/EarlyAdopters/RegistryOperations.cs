using Rollout.Bot.Conversation;
using Rollout.Bot.Pilots;
using Rollout.Bot.Storage;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>
/// The registry writes an import makes, each kept in the registry's log (<see cref="RegistryLog"/>) with the same
/// words the chat commands use, and the operator as its author. Callers check the rules first; these only write.
/// </summary>
public sealed class RegistryOperations(ComponentCatalogue catalogue)
{
    public Site AddSite(RolloutDb db, Actor by, DateTimeOffset at, string name, string stack, PartnerLevel? level, string? tz)
    {
        var site = new Site { Name = name, Stack = stack, TimeZone = tz, CreatedAt = at };
        db.Sites.Add(site);
        if (level is { } l) db.Partnerships.Add(new Partnership { Site = site, Level = l, RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = at });
        RegistryLog.Record(db, site, by, at, "site added", to: $"{stack}{(level is null ? "" : ", " + Partners.Name(level.Value))}{(tz is null ? "" : ", " + tz)}");
        return site;
    }

    /// <summary>Registers the partner levels not yet <paramref name="active"/> and sets the time zone given (null: keep); true when something changed.</summary>
    public bool UpdateSite(RolloutDb db, Actor by, DateTimeOffset at, Site site, IReadOnlyCollection<PartnerLevel> levels,
        ICollection<PartnerLevel> active, string? tz)
    {
        var changed = false;
        foreach (var level in levels.Where(l => !active.Contains(l)).ToList())
        {
            db.Partnerships.Add(new Partnership
            {
                Site = site.Id == 0 ? site : null, SiteId = site.Id, Level = level, RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = at,
            });
            active.Add(level);
            RegistryLog.Record(db, site, by, at, "partner level", to: Partners.Name(level));
            changed = true;
        }
        if (tz is not null && site.TimeZone != tz)
        {
            RegistryLog.Record(db, site, by, at, "time zone", site.TimeZone, tz);
            site.TimeZone = tz;
            changed = true;
        }
        return changed;
    }

    public SiteAdmin AddAdmin(RolloutDb db, Actor by, DateTimeOffset at, Site site, string userId, string display, string? email)
    {
        var admin = new SiteAdmin { Site = site.Id == 0 ? site : null, SiteId = site.Id, UserId = userId, Name = display, Email = email, AddedAt = at };
        db.SiteAdmins.Add(admin);
        RegistryLog.Record(db, site, by, at, "admin added", to: $"{display} ({userId})");
        return admin;
    }

    public bool UpdateAdminEmail(RolloutDb db, Actor by, DateTimeOffset at, Site site, SiteAdmin admin, string? email)
    {
        if (email is null || admin.Email == email) return false;
        RegistryLog.Record(db, site, by, at, RegistryChange.EmailChange, admin.Email, email, reason: admin.UserId);
        admin.Email = email;
        return true;
    }

    /// <summary>Commits the site; a component the catalogue does not know joins it.</summary>
    public async Task<Commitment> CommitAsync(RolloutDb db, Actor by, DateTimeOffset at, Site site, string component, CancellationToken ct)
    {
        await catalogue.EnsureAsync(db, component, site.Stack, by.UserId, ct);
        var commitment = new Commitment { Site = site.Id == 0 ? site : null, SiteId = site.Id, Component = component, CommittedAt = at };
        db.Commitments.Add(commitment);
        RegistryLog.Record(db, site, by, at, "committed", to: component);
        return commitment;
    }
}
