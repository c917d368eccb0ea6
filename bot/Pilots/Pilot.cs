using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Pilots;

/// <summary>
/// One pilot service (seed 001 §4.1.3), shown to users as <c>P1</c>. Every change goes through an operation below that
/// checks <see cref="PilotWorkflow"/>, changes the pilot and records its typed changes; a refusal changes nothing.
/// </summary>
public sealed partial class Pilot : IChangeSource
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public string? Component { get; set; }
    public string? Version { get; set; }
    public long? TicketId { get; set; }
    public UpdateCategory Category { get; set; }
    public required string Requester { get; set; }
    public RequesterKind RequesterKind { get; set; }
    public string? Objectives { get; set; }
    /// <summary>The VOs the request asked for, comma-separated as typed.</summary>
    public string? WantedVos { get; set; }
    public PilotState State { get; set; }
    public required string RequestedBy { get; set; }
    public required string RequestedByName { get; set; }
    /// <summary>The pilot coordinator (seed 000): a role held for this pilot only.</summary>
    public string? CoordinatorId { get; set; }
    public string? CoordinatorName { get; set; }
    public DateTimeOffset? KickOffAt { get; set; }
    public string? KickOffZone { get; set; }
    public int KickOffMinutes { get; set; }
    public int SetupDays { get; set; }
    public int FeedbackDays { get; set; }
    public int CadenceDays { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? RunEndsAt { get; set; }
    public PilotDecision? Decision { get; set; }
    public string? Guidelines { get; set; }
    public bool NoFeedback { get; set; }
    public string? NonCertified { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long RowVersion { get; set; }

    public List<PilotParticipant> Participants { get; set; } = [];
    public List<PilotHistory> History { get; set; } = [];

    private readonly List<PilotChange> _pending = [];

    public string Number => $"P{Id}";

    public string Subject => $"pilot:{Id}";

    public string What => Component is null ? Title : $"{Title} ({Component}{(Version is null ? "" : " " + Version)})";

    IReadOnlyList<object> IChangeSource.TakeChanges()
    {
        var taken = _pending.Cast<object>().ToList();
        _pending.Clear();
        return taken;
    }

    public IEnumerable<PilotParticipant> Sites(ParticipantState? state = null) =>
        Participants.Where(p => p.Kind == ParticipantKind.Site && (state is null || p.State == state));

    public IEnumerable<PilotParticipant> Vos(ParticipantState? state = null) =>
        Participants.Where(p => p.Kind == ParticipantKind.Vo && (state is null || p.State == state));

    public bool IsCoordinatedBy(string userId) => CoordinatorId == userId;

    public static Pilot Open(Pilot draft, Actor by, DateTimeOffset now)
    {
        draft.State = PilotState.Requested;
        draft.CreatedAt = draft.UpdatedAt = now;
        draft.RowVersion = 1;
        draft.Record(new PilotRequested(draft.Category, draft.Requester, draft.RequesterKind), by, now);
        return draft;
    }

    public string? Screen(bool accept, string? reason, Actor by, DateTimeOffset now) =>
        Move(accept ? PilotTrigger.Accept : PilotTrigger.Decline, Facts(reason), by, now, reason);

    public void Appoint(string userId, string name, Actor by, DateTimeOffset now)
    {
        var previous = CoordinatorId;
        CoordinatorId = userId;
        CoordinatorName = name;
        Record(new CoordinatorAppointed(previous, userId, name), by, now);
    }

    public void Invite(PilotParticipant p, Actor by, DateTimeOffset now)
    {
        Participants.Add(p);
        Record(new ParticipantInvited(p.Kind, p.Name, p.SiteId, p.ContactUserId), by, now);
    }

    public string? Answer(PilotParticipant p, bool accept, string? reason, Actor by, DateTimeOffset now)
    {
        if (p.State != ParticipantState.Invited)
            return $"{Names.Of(p.Kind)} {p.Name} already {p.State.ToString().ToLowerInvariant()} for {Number}.";
        if (!State.IsOpen()) return $"{Number} is {State.ToName()}: it takes no more answers.";
        // The sites are fixed when the set-up starts: a late acceptance would have no set-up time agreed.
        if (p.Kind == ParticipantKind.Site && State is not (PilotState.Screened or PilotState.KickOffPlanned))
            return $"{Number} is {State.ToName()}: its sites were fixed when it started, so the invitation to {p.Name} has lapsed.";
        p.State = accept ? ParticipantState.Accepted : ParticipantState.Declined;
        p.AnsweredAt = now;
        p.AnsweredBy = by.UserId;
        p.Reason = reason;
        Record(new ParticipantAnswered(p.Kind, p.Name, p.SiteId, accept, reason), by, now);
        return null;
    }

    public string? PlanKickOff(KickOffSet k, Actor by, DateTimeOffset now) =>
        Move(PilotTrigger.PlanKickOff, Facts(), by, now, then: () =>
        {
            (KickOffAt, KickOffZone, KickOffMinutes, SetupDays, FeedbackDays, CadenceDays) = (k.At, k.Zone, k.Minutes, k.SetupDays, k.FeedbackDays, k.CadenceDays);
            return k;
        });

    /// <summary>Step 7 begins: the accepted sites set up the service; invitations still open lapse.</summary>
    public string? Start(Actor by, DateTimeOffset now) => Move(PilotTrigger.Start, Facts(), by, now, then: () =>
    {
        StartedAt = now;
        return null;
    });

    /// <summary>A site finished its set-up; its run ends at <paramref name="runEnds"/> on its own working calendar.</summary>
    public string? SetUp(PilotParticipant site, DateTimeOffset runEnds, DateTimeOffset postMortemDue, Actor by, DateTimeOffset now)
    {
        if (State != PilotState.SettingUp) return $"{Number} is {State.ToName()}: sites report their set-up while it is setting up.";
        if (site.SetUpAt is not null) return $"{site.Name} already reported its set-up of {Number}.";
        site.SetUpAt = now;
        site.RunEndsAt = runEnds;
        site.PostMortemDue = postMortemDue;
        Record(new SiteSetUp(site.SiteId!.Value, site.Name), by, now);
        if (Sites(ParticipantState.Accepted).All(s => s.SetUpAt is not null))
        {
            RunEndsAt = Sites(ParticipantState.Accepted).Max(s => s.RunEndsAt);
            Move(PilotTrigger.AllSetUp, Facts(), by, now);
        }
        return null;
    }

    public string? Feedback(ParticipantKind who, string name, string text, Actor by, DateTimeOffset now)
    {
        if (State is not (PilotState.SettingUp or PilotState.Running or PilotState.Prolonged or PilotState.WrapUp))
            return $"{Number} is {State.ToName()}: feedback is taken while it is set up, runs or waits for its wrap-up.";
        Record(new FeedbackGiven(who, name, text), by, now);
        return null;
    }

    public string? PostMortem(PilotParticipant site, string report, Actor by, DateTimeOffset now)
    {
        if (site.SetUpAt is null) return $"{site.Name} has not set up {Number} yet: the post-mortem reports on a run.";
        if (site.PostMortemAt is not null) return $"{site.Name} already filed its post-mortem for {Number}.";
        site.PostMortem = report;
        site.PostMortemAt = now;
        Record(new PostMortemFiled(site.SiteId!.Value, site.Name, report), by, now);
        return null;
    }

    public void RecordNoFeedback(string why, Actor by, DateTimeOffset now)
    {
        if (NoFeedback) return;
        NoFeedback = true;
        Record(new NoFeedbackRecorded(why), by, now);
    }

    public void FlagNonCertified(string package, string justification, Actor by, DateTimeOffset now)
    {
        NonCertified = NonCertified is null ? $"{package}: {justification}" : $"{NonCertified}\n{package}: {justification}";
        Record(new NonCertifiedFlagged(package, justification), by, now);
    }

    public string? RunEnded(Actor by, DateTimeOffset now) => Move(PilotTrigger.RunEnded, Facts(), by, now);

    public string? Decide(PilotDecision decision, string? guidelines, DateOnly? until, DateTimeOffset? newEnd, string? notes, Actor by, DateTimeOffset now)
    {
        var trigger = decision switch { PilotDecision.Production => PilotTrigger.Production, PilotDecision.Prolong => PilotTrigger.Prolong, _ => PilotTrigger.Abandon };
        var facts = Facts(notes) with { HasNewEnd = newEnd is not null };
        return Move(trigger, facts, by, now, notes, () =>
        {
            Decision = decision;
            Guidelines = guidelines ?? Guidelines;
            if (newEnd is not null) RunEndsAt = newEnd;
            return new WrapUpDecided(decision, guidelines, until, notes);
        });
    }

    public void Note(PilotChange change, Actor by, DateTimeOffset now) => Record(change, by, now);

    private PilotFacts Facts(string? reason = null) =>
        new(Sites(ParticipantState.Accepted).Count(), !string.IsNullOrWhiteSpace(reason), CoordinatorId is not null, false);

    private string? Move(PilotTrigger trigger, PilotFacts facts, Actor by, DateTimeOffset now, string? reason = null, Func<PilotChange?>? then = null)
    {
        var (to, refusal) = PilotWorkflow.Next(State, trigger, facts);
        if (refusal is not null) return $"{Number}: {refusal}.";
        var from = State;
        State = to!.Value;
        var change = then?.Invoke();
        if (from != State) Record(new PilotMoved(from, State, reason), by, now);
        if (change is not null) Record(change, by, now);
        return null;
    }

    private void Record(PilotChange change, Actor by, DateTimeOffset now)
    {
        History.Add(PilotHistory.Of(change, by, now));
        _pending.Add(change);
        UpdatedAt = now;
        RowVersion++;
    }

    internal static void Map(ModelBuilder model) => model.Entity<Pilot>(e =>
    {
        e.ToTable("pilots");
        e.HasKey(p => p.Id);
        e.Property(p => p.Category).HasConversion(c => c.ToName(), t => UpdateCategories.Parse(t));
        e.Property(p => p.RequesterKind).HasConversion(k => k.ToString().ToLowerInvariant(), t => Enum.Parse<RequesterKind>(t, true));
        e.Property(p => p.State).HasConversion(s => s.ToKey(), t => PilotWorkflow.ParseKey(t));
        e.Property(p => p.Decision).HasConversion(d => d == null ? null : Names.Of(d.Value), t => t == null ? null : Parse(t));
        e.Property(p => p.RowVersion).IsConcurrencyToken();
        e.HasMany(p => p.Participants).WithOne().HasForeignKey(x => x.PilotId);
        e.HasMany(p => p.History).WithOne().HasForeignKey(h => h.PilotId);
        e.HasIndex(p => p.State);
        e.Ignore(p => p.Number);
        e.Ignore(p => p.Subject);
        e.Ignore(p => p.What);
    });

    // internal: the compiled model (Storage/CompiledModels) calls the converters it was mapped with.
    internal static PilotDecision? Parse(string text) => Names.TryParse<PilotDecision>(text, out var d) ? d : null;
}

public enum ParticipantState { Invited, Accepted, Declined }

/// <summary>A site or a VO asked to take part in a pilot, with its answer, and for a site its run and post-mortem.</summary>
public sealed class PilotParticipant
{
    public long Id { get; set; }
    public long PilotId { get; set; }
    public ParticipantKind Kind { get; set; }
    public required string Name { get; set; }
    public long? SiteId { get; set; }
    /// <summary>A VO's contact person (chat user id), who answers for it and gives its feedback.</summary>
    public string? ContactUserId { get; set; }
    public ParticipantState State { get; set; }
    public DateTimeOffset InvitedAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public string? AnsweredBy { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? SetUpAt { get; set; }
    public DateTimeOffset? RunEndsAt { get; set; }
    public DateTimeOffset? PostMortemDue { get; set; }
    public string? PostMortem { get; set; }
    public DateTimeOffset? PostMortemAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<PilotParticipant>(e =>
    {
        e.ToTable("pilot_participants");
        e.HasKey(p => p.Id);
        e.Property(p => p.Kind).HasConversion(k => k.ToString().ToLowerInvariant(), t => Enum.Parse<ParticipantKind>(t, true));
        e.Property(p => p.State).HasConversion(s => s.ToString().ToLowerInvariant(), t => Enum.Parse<ParticipantState>(t, true));
        e.HasIndex(p => new { p.PilotId, p.Kind, p.Name }).IsUnique();
        e.HasIndex(p => p.SiteId);
    });
}
