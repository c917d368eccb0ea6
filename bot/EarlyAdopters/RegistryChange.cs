using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.EarlyAdopters;

/// <summary>What kind of change a <see cref="RegistryChange"/> row records.</summary>
public static class RegistryChangeKinds
{
    public const string SiteAdded = "site-added";
    public const string SiteUpdated = "site-updated";
    public const string AdminAdded = "admin-added";
    public const string AdminUpdated = "admin-updated";
    public const string Committed = "committed";
    public const string PersonErased = "person-erased";
}

/// <summary>One change of the Early Adopter registry: who made it (a coordinator, or the operator running an import), when, what.</summary>
public sealed class RegistryChange
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string Kind { get; set; }
    public string? Site { get; set; }
    /// <summary>The person or component the change is about (a chat user id, a component name).</summary>
    public string? Subject { get; set; }
    public required string Detail { get; set; }

    public static RegistryChange Of(Actor by, DateTimeOffset at, string kind, string? site, string? subject, string detail) => new()
    {
        At = at, ByUserId = by.UserId, ByName = by.Name, Kind = kind, Site = site, Subject = subject, Detail = detail,
    };

    internal static void Map(ModelBuilder model) => model.Entity<RegistryChange>(e =>
    {
        e.ToTable("registry_changes");
        e.HasKey(c => c.Id);
    });
}
