using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Rollout.Bot.Operations.Export;

/// <summary>
/// The JSON file of <c>export tickets --format json</c> and <c>import tickets</c>: everything needed to re-create a
/// ticket in another bot. Sites are named as the registry names them now (<c>site</c>), never by the database's own
/// ids, so the file imports into any bot whose registry holds those sites; <c>site_name</c> is the name the site had
/// when it acted. Each history entry is the typed change as the bot stores it (<c>change</c>, with its <c>kind</c>),
/// without its site id: the import writes the history sentence from the change, as the ticket's own operations do.
/// Times are UTC to the microsecond (what PostgreSQL keeps), so a file reads the same from either engine.
/// </summary>
public sealed record TicketFile
{
    public const string FormatName = "rollout-bot tickets";
    public const int CurrentVersion = 1;

    public string? Format { get; init; } = FormatName;
    public int? Version { get; init; } = CurrentVersion;
    public List<TicketRecord>? Tickets { get; init; } = [];

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>UTC, to the microsecond.</summary>
    public static DateTimeOffset Utc(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    public static DateTimeOffset? Utc(DateTimeOffset? at) => at is { } a ? Utc(a) : null;
}

/// <summary>One ticket: its fields, where it stands, and what happened to it. Nullable throughout so that the import can say what is missing.</summary>
public sealed record TicketRecord
{
    public long? Number { get; init; }
    public string? Component { get; init; }
    public string? Version { get; init; }
    public string? Stack { get; init; }
    public string? Type { get; init; }
    public string? State { get; init; }
    public string? Outcome { get; init; }
    public string? Summary { get; init; }
    /// <summary>Derived (an advisory and no disclosure) and written out so that a reader sees it; the import checks it agrees.</summary>
    public bool? Restricted { get; init; }
    public string? SecurityAdvisoryUrl { get; init; }
    public DateTimeOffset? DisclosedAt { get; init; }
    public string? UpdateCategory { get; init; }
    public string? Os { get; init; }
    public string? Arch { get; init; }
    public string? NotesUrl { get; init; }
    public string? ChangelogUrl { get; init; }
    public string? CertificationUrl { get; init; }
    public string? DocsUrl { get; init; }
    public List<string>? BugUrls { get; init; }
    public string? ProviderId { get; init; }
    public string? ProviderName { get; init; }
    public string? RepositoryUrl { get; init; }
    public string? ProductionRepositoryUrl { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public StepTimesRecord? StepTimes { get; init; }
    public List<ParticipationRecord>? Participations { get; init; }
    public List<DeclineRecord>? Declines { get; init; }
    public List<CommentRecord>? Comments { get; init; }
    public List<HistoryRecord>? History { get; init; }
}

public sealed record StepTimesRecord(DateTimeOffset? UnverifiedAt, DateTimeOffset? VerifiedAt, DateTimeOffset? RollingOutAt,
    DateTimeOffset? ClosedAt, DateTimeOffset? RejectedAt);

public sealed record ParticipationRecord
{
    public string? Site { get; init; }
    public string? SiteName { get; init; }
    public string? AcceptedBy { get; init; }
    public string? AcceptedByName { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public DateTimeOffset? DoneAt { get; init; }
    public string? Outcome { get; init; }
    public string? Report { get; init; }
    public double? Hours { get; init; }
    public string? BugUrls { get; init; }
    public DateTimeOffset? WithdrawnAt { get; init; }
    public string? WithdrawnBy { get; init; }
    public string? WithdrawReason { get; init; }
}

public sealed record DeclineRecord
{
    public string? Site { get; init; }
    public string? SiteName { get; init; }
    public string? DeclinedBy { get; init; }
    public string? DeclinedByName { get; init; }
    public DateTimeOffset? DeclinedAt { get; init; }
    public string? Reason { get; init; }
}

public sealed record CommentRecord
{
    public DateTimeOffset? At { get; init; }
    public string? ByUserId { get; init; }
    public string? ByName { get; init; }
    public string? Text { get; init; }
}

/// <summary>One typed history entry: when, who, the site it concerns (as the registry names it now) and the change itself.</summary>
public sealed record HistoryRecord
{
    public DateTimeOffset? At { get; init; }
    public string? ByUserId { get; init; }
    public string? ByName { get; init; }
    public string? Site { get; init; }
    public JsonObject? Change { get; init; }
}
