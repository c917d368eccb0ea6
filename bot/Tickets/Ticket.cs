using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>One release going through the staged rollout, shown to users as <c>#Id</c>.</summary>
public sealed class Ticket
{
    public long Id { get; set; }
    public required string Component { get; set; }
    public required string Version { get; set; }
    public required string Stack { get; set; }
    public ReleaseType Type { get; set; }
    public string? Os { get; set; }
    public string? Arch { get; set; }
    public string? NotesUrl { get; set; }
    public string? ChangelogUrl { get; set; }
    public string? CertificationUrl { get; set; }
    public string? DocsUrl { get; set; }
    /// <summary>Links to the bugs fixed or known in this release, one per line.</summary>
    public string? BugUrls { get; set; }
    /// <summary>A security advisory makes the ticket restricted (seed 002 §2.4, security restrictions).</summary>
    public string? SecurityAdvisoryUrl { get; set; }
    public required string ProviderId { get; set; }
    public required string ProviderName { get; set; }
    public string? RepositoryUrl { get; set; }
    /// <summary>When a coordinator lifted a restricted ticket's embargo (<c>/disclose</c>); null while it is embargoed.</summary>
    public DateTimeOffset? DisclosedAt { get; set; }
    public TicketState State { get; set; }
    public Outcome? Outcome { get; set; }
    public string? Summary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency token: every change bumps it, so a write based on a stale read fails and is retried.</summary>
    public long RowVersion { get; set; }

    public List<Participation> Participations { get; set; } = [];
    public List<TicketHistory> History { get; set; } = [];

    public string Number => $"#{Id}";
    public bool IsRestricted => SecurityAdvisoryUrl is not null;
    public IReadOnlyList<string> Bugs => BugUrls is null ? [] : BugUrls.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Who may see a restricted ticket; everyone else must not learn it exists. Translates to SQL.</summary>
    public static Expression<Func<Ticket, bool>> VisibleTo(Viewer viewer)
    {
        if (viewer.SeesAllRestricted) return _ => true;
        var userId = viewer.Caller.UserId;
        var components = viewer.CommittedComponents.ToList();
        return t => t.SecurityAdvisoryUrl == null || t.ProviderId == userId || components.Contains(t.Component.ToLower());
    }

    public TicketFacts Facts(bool hasReason = false, Outcome? outcome = null) => new(
        Type, RepositoryUrl is not null, hasReason,
        Participations.Count(p => p.IsOpen), Participations.Count(p => p.DoneAt is not null), outcome);

    /// <summary>
    /// Runs a trigger through the workflow; when allowed, moves the state, bumps the version and records a state
    /// change in the history. Returns the refusal otherwise, having changed nothing.
    /// </summary>
    public string? Fire(TicketTrigger trigger, TicketFacts facts, Caller by, DateTimeOffset now, string? reason = null)
    {
        var result = TicketWorkflow.Fire(State, trigger, facts);
        if (!result.Allowed) return result.Failure;
        var from = State;
        State = result.Next!.Value;
        Touch(now);
        if (from != State) Record(by, now, "state", from.ToName(), State.ToName(), reason);
        return null;
    }

    /// <summary>Appends a history line for a change that is not a state move (a site accepting, a link set).</summary>
    public void Record(Caller by, DateTimeOffset now, string what, string? from, string? to, string? reason = null) =>
        History.Add(TicketHistory.Of(by, now, what, from, to, reason));

    public void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        RowVersion++;
    }

    internal static void Map(ModelBuilder model) => model.Entity<Ticket>(e =>
    {
        e.ToTable("tickets");
        e.HasKey(t => t.Id);
        e.Property(t => t.Type).HasColumnName("release_type").HasConversion(v => v.ToName(), s => TicketNames.Parse<ReleaseType>(s));
        e.Property(t => t.State).HasConversion(v => v.ToName(), s => TicketNames.Parse<TicketState>(s));
        e.Property(t => t.Outcome)
            .HasConversion(v => v == null ? null : v.Value.ToName(), s => s == null ? null : TicketNames.Parse<Outcome>(s));
        e.Property(t => t.RowVersion).IsConcurrencyToken();
        e.HasMany(t => t.Participations).WithOne().HasForeignKey(p => p.TicketId);
        e.HasMany(t => t.History).WithOne().HasForeignKey(h => h.TicketId);
        e.Ignore(t => t.Number);
        e.Ignore(t => t.IsRestricted);
        e.Ignore(t => t.Bugs);
    });
}

/// <summary>The caller plus what their sites are committed to (lower-cased names): enough to decide which restricted tickets they see.</summary>
public sealed record Viewer(Caller Caller, IReadOnlySet<string> CommittedComponents)
{
    public bool SeesAllRestricted =>
        Caller.IsCoordinator || Caller.Has(Role.TechnologyUnit) || Caller.Has(Role.Security);
}
