using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Something that happened to a ticket, as its own operation returns it. Each change is stored twice in one history
/// row: as the sentence people read (what, from → to, why) and as a stable machine-readable kind with a JSON payload.
/// Features react to changes through registered reactions (<c>AddReaction&lt;Ticket, SiteReported&gt;</c>), and query
/// the history by <see cref="KindOf{T}"/>; nothing reads the sentences back.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(TicketOpened), TicketOpened.Kind)]
[JsonDerivedType(typeof(StateMoved), StateMoved.Kind)]
[JsonDerivedType(typeof(PullFailed), PullFailed.Kind)]
[JsonDerivedType(typeof(RepositorySet), RepositorySet.Kind)]
[JsonDerivedType(typeof(SiteAccepted), SiteAccepted.Kind)]
[JsonDerivedType(typeof(SiteReported), SiteReported.Kind)]
[JsonDerivedType(typeof(SiteWithdrawn), SiteWithdrawn.Kind)]
[JsonDerivedType(typeof(OutcomeSet), OutcomeSet.Kind)]
[JsonDerivedType(typeof(EmergencySkipped), EmergencySkipped.Kind)]
[JsonDerivedType(typeof(Commented), Commented.Kind)]
[JsonDerivedType(typeof(AcceptanceSnoozed), AcceptanceSnoozed.Kind)]
[JsonDerivedType(typeof(Disclosed), Disclosed.Kind)]
[JsonDerivedType(typeof(TargetMissed), TargetMissed.Kind)]
[JsonDerivedType(typeof(ProductionRepositorySet), ProductionRepositorySet.Kind)]
[JsonDerivedType(typeof(SiteAsked), SiteAsked.Kind)]
[JsonDerivedType(typeof(SiteDeclined), SiteDeclined.Kind)]
[JsonDerivedType(typeof(PartnersCalled), PartnersCalled.Kind)]
[JsonDerivedType(typeof(FrequencyExceeded), FrequencyExceeded.Kind)]
[JsonDerivedType(typeof(TicketEdited), TicketEdited.Kind)]
[JsonDerivedType(typeof(Noted), Noted.Kind)]
public abstract record TicketChange
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TicketChange? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<TicketChange>(json, Json);

    /// <summary>The stored kind of a change type, for queries on <c>ticket_history.kind</c>.</summary>
    public static string KindOf<T>() where T : TicketChange => Kinds[typeof(T)];

    /// <summary>Every stored kind, for a message that names the choices (the ticket import).</summary>
    public static IEnumerable<string> AllKinds => Kinds.Values;

    private static readonly Dictionary<Type, string> Kinds = typeof(TicketChange)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    [JsonIgnore]
    public string StoredKind => Kinds[GetType()];
}

/// <summary>The ticket was opened (certified).</summary>
public sealed record TicketOpened : TicketChange { public const string Kind = "opened"; }

/// <summary>The ticket moved through the workflow.</summary>
public sealed record StateMoved(TicketState From, TicketState To, string? Reason = null) : TicketChange { public const string Kind = "state-moved"; }

/// <summary>The repository manager could not pull the packages; the ticket stays certified.</summary>
public sealed record PullFailed(string Reason) : TicketChange { public const string Kind = "pull-failed"; }

/// <summary>The staged-rollout repository URL was set at verification.</summary>
public sealed record RepositorySet(string? Previous, string Url) : TicketChange { public const string Kind = "repository-set"; }

public sealed record SiteAccepted(long SiteId, string Site) : TicketChange { public const string Kind = "site-accepted"; }

public sealed record SiteReported(long SiteId, string Site, Outcome Outcome, string Notes) : TicketChange { public const string Kind = "site-reported"; }

public sealed record SiteWithdrawn(long SiteId, string Site, string Reason) : TicketChange { public const string Kind = "site-withdrawn"; }

/// <summary>A coordinator closed the ticket with an outcome and the written summary.</summary>
public sealed record OutcomeSet(Outcome Outcome, string Summary) : TicketChange { public const string Kind = "outcome-set"; }

public sealed record EmergencySkipped(string Reason) : TicketChange { public const string Kind = "emergency-skipped"; }

public sealed record Commented(string Text) : TicketChange { public const string Kind = "commented"; }

public sealed record AcceptanceSnoozed(DateOnly Until, string Reason) : TicketChange { public const string Kind = "acceptance-snoozed"; }

/// <summary>A restricted (security) release's embargo was lifted.</summary>
public sealed record Disclosed : TicketChange { public const string Kind = "disclosed"; }

/// <summary>A Table 3 step was still under way at its target; <see cref="Due"/> is unknown for rows kept before it was stored.</summary>
public sealed record TargetMissed(string Step, DateTimeOffset? Due) : TicketChange { public const string Kind = "target-missed"; }

/// <summary>§2.4 3.9: the packages moved from the staged-rollout repository to production, which is where the broadcast points.</summary>
public sealed record ProductionRepositorySet(string? Previous, string Url) : TicketChange { public const string Kind = "production-repository-set"; }

/// <summary>A coordinator asked a named site to take the ticket (a direct work order, seed 000).</summary>
public sealed record SiteAsked(long SiteId, string Site, string? Note = null) : TicketChange { public const string Kind = "site-asked"; }

/// <summary>A site said "not this time": the nags leave it alone for this ticket.</summary>
public sealed record SiteDeclined(long SiteId, string Site, string Reason) : TicketChange { public const string Kind = "site-declined"; }

/// <summary>Nobody accepted: a coordinator called the sites not committed to the component to take it (§2.4 3.3).</summary>
public sealed record PartnersCalled(IReadOnlyList<string> Sites, string? Note = null) : TicketChange { public const string Kind = "partners-called"; }

/// <summary>
/// §2.2: the release came sooner after the previous one of its type for the component than <see cref="Rule"/> allows;
/// <see cref="Previous"/> is that earlier public release. A warning kept in the history, not a refusal.
/// </summary>
public sealed record FrequencyExceeded(ReleaseType Type, string Rule, long Previous, DateTimeOffset PreviousAt) : TicketChange
{
    public const string Kind = "frequency-exceeded";
}

/// <summary>A field of the ticket corrected with <c>/ticket edit</c>: <see cref="Field"/> as <c>/release new</c> names it, null for "not set".</summary>
public sealed record TicketEdited(string Field, string? From, string? To) : TicketChange { public const string Kind = "edited"; }

/// <summary>A history line kept before changes were typed whose kind is not one of the above (none is expected).</summary>
public sealed record Noted(string What) : TicketChange { public const string Kind = "note"; }
