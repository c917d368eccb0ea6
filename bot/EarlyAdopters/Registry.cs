using Microsoft.EntityFrameworkCore;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>Pilot partner level (seed 001 §4.1); a site registers for levels in <c>Pilots.Partnership</c>.</summary>
public enum PartnerLevel { Silver, Gold, Platinum }

/// <summary>A production site that takes part in the staged rollout as an Early Adopter (seed 002 §3).</summary>
public sealed class Site
{
    private string _name = "";

    public long Id { get; set; }

    /// <summary>The name as registered; setting it sets <see cref="NameKey"/>, which is how people's typing finds it.</summary>
    public required string Name
    {
        get => _name;
        set
        {
            _name = value;
            NameKey = Sites.Key(value);
        }
    }

    /// <summary><see cref="Sites.Key"/> of the name: unique among the sites not removed.</summary>
    public string NameKey { get; set; } = "";

    /// <summary>When a coordinator removed the site (<c>/site remove</c>); kept for its history, its name free again.</summary>
    public DateTimeOffset? RemovedAt { get; set; }

    public required string Stack { get; set; }
    /// <summary>IANA time zone of the site's working-day calendar; null means the coordinators' zone.</summary>
    public string? TimeZone { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<Site>(e =>
    {
        e.ToTable("sites");
        e.HasKey(s => s.Id);
        // The property, not the field: the setter keeps NameKey in step when a name is read or changed.
        e.Property(s => s.Name).UsePropertyAccessMode(PropertyAccessMode.Property);
        e.HasIndex(s => s.NameKey).IsUnique().HasFilter("removed_at IS NULL");
    });
}

/// <summary>One change to the registry of a site (added, renamed, an admin added or removed…): who, when, from → to, why.</summary>
public sealed class RegistryChange
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    /// <summary>Set instead of SiteId when the site is added in the same save.</summary>
    public Site? Site { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string What { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Reason { get; set; }

    /// <summary>Changes whose values are personal data (e-mail addresses): shown to coordinators only.</summary>
    public const string EmailChange = "admin e-mail";

    internal static void Map(ModelBuilder model) => model.Entity<RegistryChange>(e =>
    {
        e.ToTable("registry_changes");
        e.HasKey(c => c.Id);
        e.Property(c => c.From).HasColumnName("from_value");
        e.Property(c => c.To).HasColumnName("to_value");
        e.HasIndex(c => c.SiteId);
        e.HasOne(c => c.Site).WithMany().HasForeignKey(c => c.SiteId);
    });
}

/// <summary>A person who administers a site; being one makes them a site admin of that site.</summary>
public sealed class SiteAdmin
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    /// <summary>Set instead of SiteId when the site is added in the same save.</summary>
    public Site? Site { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public string? Email { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<SiteAdmin>(e =>
    {
        e.ToTable("site_admins");
        e.HasKey(a => a.Id);
        e.HasIndex(a => a.UserId);
        e.HasIndex(a => a.SiteId);
        e.HasOne(a => a.Site).WithMany().HasForeignKey(a => a.SiteId);
    });
}

/// <summary>A site's commitment to take releases of a component early (optionally for one OS/arch).</summary>
public sealed class Commitment
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    /// <summary>Set instead of SiteId when the site is added in the same save.</summary>
    public Site? Site { get; set; }
    public required string Component { get; set; }
    public string? Os { get; set; }
    public string? Arch { get; set; }
    public DateTimeOffset CommittedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<Commitment>(e =>
    {
        e.ToTable("commitments");
        e.HasKey(c => c.Id);
        e.HasIndex(c => c.Component);
        e.HasIndex(c => c.SiteId);
        e.HasOne(c => c.Site).WithMany().HasForeignKey(c => c.SiteId);
    });
}

/// <summary>An entry of the component catalogue. Retired components stay for history but leave the vacancy list.</summary>
public sealed class Component
{
    public required string Name { get; set; }
    public required string Stack { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public required string AddedBy { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<Component>(e =>
    {
        e.ToTable("components");
        e.HasKey(c => c.Name);
    });
}

public enum RequestState { Pending, Approved, Declined }

/// <summary>A site's request to become an Early Adopter for a component (seed 002 §3.1), decided by a coordinator.</summary>
public sealed class EngagementRequest
{
    public long Id { get; set; }
    public required string SiteName { get; set; }
    public required string AdminName { get; set; }
    public required string AdminEmail { get; set; }
    public required string AdminUserId { get; set; }
    public required string Component { get; set; }
    public string? Os { get; set; }
    public string? Arch { get; set; }
    /// <summary>The pilot partner level the site asks for with its request, registered on approval.</summary>
    public PartnerLevel? Level { get; set; }
    public RequestState State { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public string? DecidedBy { get; set; }
    /// <summary>The deciding coordinator's name as the card and the requester read it; null for decisions kept before it was stored.</summary>
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DeclineReason { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<EngagementRequest>(e =>
    {
        e.ToTable("engagement_requests");
        e.HasKey(r => r.Id);
        e.Property(r => r.State).HasConversion<string>();
        e.Property(r => r.Level).HasConversion(l => l == null ? null : l.Value.ToString().ToLowerInvariant(),
            t => t == null ? null : Enum.Parse<PartnerLevel>(t, true));
    });
}
