using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Pilots;

/// <summary>
/// A site's registration as a pilot partner at one level (seed 001 §4.1: Silver, Gold, Platinum), with the interest
/// it stated. Registrations are history: withdrawing marks the row, registering again adds a new one.
/// </summary>
public sealed class Partnership
{
    public long Id { get; set; }
    public long SiteId { get; set; }
    public Site? Site { get; set; }
    public PartnerLevel Level { get; set; }
    public string? Interest { get; set; }
    public required string RegisteredBy { get; set; }
    public required string RegisteredByName { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public string? WithdrawnBy { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawReason { get; set; }

    public bool IsActive => WithdrawnAt is null;

    public static Partnership Register(long siteId, PartnerLevel level, string? interest, Actor by, DateTimeOffset now) => new()
    {
        SiteId = siteId, Level = level, Interest = interest, RegisteredBy = by.UserId, RegisteredByName = by.Name, RegisteredAt = now,
    };

    public void Withdraw(string? reason, Actor by, DateTimeOffset now)
    {
        WithdrawnAt = now;
        WithdrawnBy = by.UserId;
        WithdrawReason = reason;
    }

    internal static void Map(ModelBuilder model) => model.Entity<Partnership>(e =>
    {
        e.ToTable("partnerships");
        e.HasKey(p => p.Id);
        e.Property(p => p.Level).HasConversion(l => Partners.Name(l), t => Enum.Parse<PartnerLevel>(t, true));
        e.HasOne(p => p.Site).WithMany().HasForeignKey(p => p.SiteId);
        e.HasIndex(p => p.SiteId);
        e.Ignore(p => p.IsActive);
    });
}

/// <summary>Reading the partner bins: one place says which registrations count.</summary>
public static class Partners
{
    public static string Name(PartnerLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>What each level is for (seed 001 §4.1), as /partners explains it.</summary>
    public static string Purpose(PartnerLevel level) => level switch
    {
        PartnerLevel.Silver => "installs non-backward-compatible client updates",
        PartnerLevel.Gold => "runs pilots of backward-compatible server updates and new services",
        _ => "runs pilots of non-backward-compatible server updates",
    };

    public static IQueryable<Partnership> Active(RolloutDb db) => db.Partnerships.Where(p => p.WithdrawnAt == null);

    /// <summary>The active levels of each site, by site id.</summary>
    public static async Task<ILookup<long, Partnership>> BySiteAsync(RolloutDb db, CancellationToken ct) =>
        (await Active(db).AsNoTracking().OrderBy(p => p.Level).ToListAsync(ct)).ToLookup(p => p.SiteId);

    /// <summary>Parses "gold", "gold,platinum": the levels and the words that are not levels.</summary>
    public static (List<PartnerLevel> Levels, List<string> Unknown) ParseLevels(string text)
    {
        var levels = new List<PartnerLevel>();
        var unknown = new List<string>();
        foreach (var word in text.Split([',', ' ', '+'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Sites.TryParseLevel(word, out var level)) { if (!levels.Contains(level)) levels.Add(level); }
            else unknown.Add(word);
        }
        return (levels, unknown);
    }

    public static string Describe(IEnumerable<Partnership> levels) => string.Join(", ", levels.Select(p => Name(p.Level)).Distinct());
}
