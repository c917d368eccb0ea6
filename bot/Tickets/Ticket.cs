using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Tickets;

/// <summary>
/// One release going through the staged rollout, shown to users as <c>#Id</c>. Every change goes through one of the
/// operations below: each checks the workflow (<see cref="TicketWorkflow"/>), changes the ticket, and records typed
/// changes (history rows, and changes waiting for the reactions). An operation that refuses returns why and changes nothing.
/// </summary>
public sealed partial class Ticket : IChangeSource
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
    /// <summary>A security advisory makes the ticket restricted until it is disclosed (seed 002 §2.4, security restrictions).</summary>
    public string? SecurityAdvisoryUrl { get; set; }
    public required string ProviderId { get; set; }
    public required string ProviderName { get; set; }
    public string? RepositoryUrl { get; set; }
    /// <summary>§2.4 3.9: where the packages are once they moved to production; the broadcast points sites there.</summary>
    public string? ProductionRepositoryUrl { get; set; }
    /// <summary>When a coordinator lifted a restricted ticket's embargo (<c>/disclose</c>); null while it is embargoed.</summary>
    public DateTimeOffset? DisclosedAt { get; set; }
    /// <summary>The update category of seed 004, when the provider gave it: it says whether the release calls for a pilot.</summary>
    public Pilots.UpdateCategory? UpdateCategory { get; set; }
    public TicketState State { get; set; }
    public Outcome? Outcome { get; set; }
    public string? Summary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency token: every change bumps it, so a write based on a stale read fails and is retried.</summary>
    public long RowVersion { get; set; }

    public List<Participation> Participations { get; set; } = [];
    public List<TicketHistory> History { get; set; } = [];
    public List<TicketComment> Comments { get; set; } = [];
    /// <summary>Sites that said "not this time"; loaded only where needed (<see cref="TicketQueries.LoadDeclinesAsync"/>).</summary>
    public List<SiteDecline> Declines { get; set; } = [];

    private readonly List<TicketChange> _pending = [];

    public string Number => $"#{Id}";

    /// <summary>A security release (it came with an advisory), disclosed or not.</summary>
    public bool IsSecurityRelease => SecurityAdvisoryUrl is not null;

    /// <summary>Embargoed: only those entitled may learn it exists (<see cref="Visibility"/>).</summary>
    public bool IsRestricted => SecurityAdvisoryUrl is not null && DisclosedAt is null;

    public IReadOnlyList<string> Bugs => BugUrls is null ? [] : BugUrls.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Changes recorded and not yet handed to the reactions.</summary>
    public IReadOnlyList<TicketChange> PendingChanges => _pending;

    IReadOnlyList<object> IChangeSource.TakeChanges()
    {
        var taken = _pending.Cast<object>().ToList();
        _pending.Clear();
        return taken;
    }

    /// <summary>A new ticket in state certified, with its "opened" change recorded.</summary>
    public static Ticket Open(Ticket draft, Actor by, DateTimeOffset now)
    {
        draft.State = TicketState.Certified;
        draft.CreatedAt = now;
        draft.UpdatedAt = now;
        draft.RowVersion = 1;
        draft.Record(new TicketOpened(), by, now);
        return draft;
    }

    /// <summary>§2.4 2.1: the repository manager pulled the packages and the checksums are fine.</summary>
    public string? PackagesPulled(Actor by, DateTimeOffset now) => Move(TicketTrigger.PackagesPulled, Facts(), by, now);

    public string? PullFailed(string reason, Actor by, DateTimeOffset now) =>
        Move(TicketTrigger.PullFailed, Facts(hasReason: true), by, now, then: () => new PullFailed(reason));

    /// <summary>§2.4 2.4: the technology unit verified it; the packages are in the staged-rollout repository.</summary>
    public string? Verify(string repositoryUrl, Actor by, DateTimeOffset now)
    {
        var previous = RepositoryUrl;
        return Move(TicketTrigger.Verify, Facts() with { HasRepositoryUrl = true }, by, now, then: () =>
        {
            RepositoryUrl = repositoryUrl;
            return new RepositorySet(previous, repositoryUrl);
        });
    }

    public string? Reject(string reason, Actor by, DateTimeOffset now) => Move(TicketTrigger.Reject, Facts(hasReason: true), by, now, reason);

    /// <summary>§2.4 3.2: a site takes part; the first acceptance starts the rollout.</summary>
    public string? Accept(long siteId, string siteName, Actor by, DateTimeOffset now) =>
        Move(TicketTrigger.Accept, Facts(), by, now, then: () =>
        {
            Participations.Add(new Participation
            {
                SiteId = siteId, SiteName = siteName, AcceptedBy = by.UserId, AcceptedByName = by.Name, AcceptedAt = now,
            });
            return new SiteAccepted(siteId, siteName);
        });

    /// <summary>§2.4 3.6: a site's staged rollout is done, with its outcome and report.</summary>
    public string? Report(Participation part, Outcome outcome, string notes, double? hours, string? bugs, Actor by, DateTimeOffset now) =>
        Move(TicketTrigger.Report, Facts(), by, now, then: () =>
        {
            part.DoneAt = now;
            part.Outcome = outcome;
            part.Report = notes;
            part.Hours = hours;
            part.BugUrls = bugs;
            return new SiteReported(part.SiteId, part.SiteName, outcome, notes);
        });

    public string? Withdraw(Participation part, string reason, Actor by, DateTimeOffset now) =>
        Move(TicketTrigger.Withdraw, Facts(hasReason: true), by, now, reason: null, then: () =>
        {
            part.WithdrawnAt = now;
            part.WithdrawnBy = by.UserId;
            part.WithdrawReason = reason;
            return new SiteWithdrawn(part.SiteId, part.SiteName, reason);
        });

    /// <summary>§2.4 3.7: the coordinator closes it with an outcome and a written summary.</summary>
    public string? Close(Outcome outcome, string summary, Actor by, DateTimeOffset now) =>
        Move(TicketTrigger.Close, Facts(outcome: outcome), by, now, summary, then: () =>
        {
            Outcome = outcome;
            Summary = summary;
            return new OutcomeSet(outcome, summary);
        });

    /// <summary>§2.2: only an emergency release may skip the staged rollout, with a justification.</summary>
    public string? SkipStagedRollout(string reason, Actor by, DateTimeOffset now) =>
        Move(TicketTrigger.EmergencySkip, Facts(hasReason: true), by, now, reason, then: () =>
        {
            Outcome = Tickets.Outcome.Success;
            Summary = $"Emergency release: staged rollout skipped. Justification: {reason}";
            return new EmergencySkipped(reason);
        });

    public void Comment(string text, Actor by, DateTimeOffset now)
    {
        Comments.Add(new TicketComment { TicketId = Id, At = now, ByUserId = by.UserId, ByName = by.Name, Text = text });
        Record(new Commented(text), by, now);
    }

    /// <summary>Holds the acceptance nags of a verified ticket until a date.</summary>
    public string? SnoozeAcceptance(DateOnly until, string reason, Actor by, DateTimeOffset now)
    {
        if (State != TicketState.Verified)
            return $"{Number} is {State.ToName()}: only a verified ticket waiting for a site has acceptance nags to snooze.";
        Touch(now);
        Record(new AcceptanceSnoozed(until, reason), by, now);
        return null;
    }

    /// <summary>Lifts the embargo of a restricted release that went to production.</summary>
    public string? Disclose(Actor by, DateTimeOffset now)
    {
        if (!IsSecurityRelease) return $"{Number} is not restricted: there is no embargo to lift.";
        if (DisclosedAt is { } at) return $"{Number} was already disclosed on {TicketCommand.When(at)}.";
        if (State != TicketState.Closed || Outcome is not (Tickets.Outcome.Success or Tickets.Outcome.Warning))
            return $"{Number} is {State.ToName()}: only a release closed with success or warning goes to production " +
                "and can be disclosed. `/close` it first.";
        DisclosedAt = now;
        Touch(now);
        Record(new Disclosed(), by, now);
        return null;
    }

    /// <summary>A Table 3 step was still under way at its target (noted once per step by the reminders).</summary>
    public bool MissTarget(string step, DateTimeOffset due, DateTimeOffset now)
    {
        if (History.Any(h => h.Kind == TargetMissed.Kind && h.Change is TargetMissed t && t.Step == step)) return false;
        Record(new TargetMissed(step, due), Actor.Bot, now);
        return true;
    }

    public TicketFacts Facts(bool hasReason = false, Outcome? outcome = null) => new(
        Type, RepositoryUrl is not null, hasReason,
        Participations.Count(p => p.IsOpen), Participations.Count(p => p.DoneAt is not null), outcome);

    /// <summary>
    /// Runs a trigger through the workflow; when allowed, applies <paramref name="then"/>, moves the state and records
    /// the changes, in the order they happened. Returns the refusal otherwise, having changed nothing.
    /// </summary>
    private string? Move(TicketTrigger trigger, TicketFacts facts, Actor by, DateTimeOffset now, string? reason = null,
        Func<TicketChange>? then = null)
    {
        var result = TicketWorkflow.Fire(State, trigger, facts);
        if (!result.Allowed) return $"{Number}: {result.Failure}";
        var from = State;
        var change = then?.Invoke();
        State = result.Next!.Value;
        Touch(now);
        if (from != State) Record(new StateMoved(from, State, reason), by, now);
        if (change is not null) Record(change, by, now);
        return null;
    }

    private void Record(TicketChange change, Actor by, DateTimeOffset now)
    {
        History.Add(TicketHistory.Of(change, by, now));
        _pending.Add(change);
    }

    internal void Touch(DateTimeOffset now)
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
        e.HasMany(t => t.Comments).WithOne().HasForeignKey(c => c.TicketId);
        e.HasMany(t => t.Declines).WithOne().HasForeignKey(d => d.TicketId);
        e.Ignore(t => t.Number);
        e.Ignore(t => t.IsRestricted);
        e.Ignore(t => t.IsSecurityRelease);
        e.Ignore(t => t.Bugs);
        e.Ignore(t => t.PendingChanges);
        e.Ignore(t => t.GoesToProduction);
        e.Ignore(t => t.TakesSites);
        e.Ignore(t => t.HasNoPartner);
        e.Ignore(t => t.IsReadyToClose);
        e.Property(t => t.UpdateCategory).HasConversion(c => c == null ? null : Pilots.UpdateCategories.ToName(c.Value),
            s => s == null ? null : Pilots.UpdateCategories.Parse(s));
    });
}
