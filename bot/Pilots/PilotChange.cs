using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Something that happened to a pilot, as its own operation returns it: stored as one history row with the sentence
/// people read and a stable kind with its JSON payload (as ticket changes are), and handed to the registered reactions
/// (<c>AddReaction&lt;Pilot, RunStarted&gt;</c>). Nothing reads the sentences back.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(PilotRequested), PilotRequested.Kind)]
[JsonDerivedType(typeof(PilotMoved), PilotMoved.Kind)]
[JsonDerivedType(typeof(CoordinatorAppointed), CoordinatorAppointed.Kind)]
[JsonDerivedType(typeof(ParticipantInvited), ParticipantInvited.Kind)]
[JsonDerivedType(typeof(ParticipantAnswered), ParticipantAnswered.Kind)]
[JsonDerivedType(typeof(KickOffSet), KickOffSet.Kind)]
[JsonDerivedType(typeof(SiteSetUp), SiteSetUp.Kind)]
[JsonDerivedType(typeof(FeedbackGiven), FeedbackGiven.Kind)]
[JsonDerivedType(typeof(PostMortemFiled), PostMortemFiled.Kind)]
[JsonDerivedType(typeof(NoFeedbackRecorded), NoFeedbackRecorded.Kind)]
[JsonDerivedType(typeof(NonCertifiedFlagged), NonCertifiedFlagged.Kind)]
[JsonDerivedType(typeof(WrapUpDecided), WrapUpDecided.Kind)]
[JsonDerivedType(typeof(EffortReported), EffortReported.Kind)]
[JsonDerivedType(typeof(PostMortemSnoozed), PostMortemSnoozed.Kind)]
public abstract record PilotChange
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PilotChange? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<PilotChange>(json, Json);

    public static string KindOf<T>() where T : PilotChange => Kinds[typeof(T)];

    private static readonly Dictionary<Type, string> Kinds = typeof(PilotChange)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    [JsonIgnore]
    public string StoredKind => Kinds[GetType()];
}

public sealed record PilotRequested(UpdateCategory Category, string Requester, RequesterKind RequesterKind) : PilotChange { public const string Kind = "requested"; }

public sealed record PilotMoved(PilotState From, PilotState To, string? Reason = null) : PilotChange { public const string Kind = "state-moved"; }

public sealed record CoordinatorAppointed(string? PreviousUserId, string UserId, string Name) : PilotChange { public const string Kind = "coordinator-appointed"; }

public sealed record ParticipantInvited(ParticipantKind Who, string Name, long? SiteId, string? ContactUserId) : PilotChange { public const string Kind = "invited"; }

public sealed record ParticipantAnswered(ParticipantKind Who, string Name, long? SiteId, bool Accepted, string? Reason) : PilotChange { public const string Kind = "answered"; }

/// <summary>Steps 4–5: the kick-off and what it agreed: set-up and feedback periods (working days) and the VO reminder cadence.</summary>
public sealed record KickOffSet(DateTimeOffset At, string Zone, int Minutes, int SetupDays, int FeedbackDays, int CadenceDays) : PilotChange
{
    public const string Kind = "kick-off-set";
}

public sealed record SiteSetUp(long SiteId, string Site) : PilotChange { public const string Kind = "site-set-up"; }

public sealed record FeedbackGiven(ParticipantKind Who, string Name, string Text) : PilotChange { public const string Kind = "feedback"; }

public sealed record PostMortemFiled(long SiteId, string Site, string Report) : PilotChange { public const string Kind = "post-mortem"; }

/// <summary>Seed 001: no VO committed, or none gave feedback in the agreed time; the release notes must say so.</summary>
public sealed record NoFeedbackRecorded(string Why) : PilotChange { public const string Kind = "no-feedback"; }

public sealed record NonCertifiedFlagged(string Package, string Justification) : PilotChange { public const string Kind = "non-certified"; }

public sealed record WrapUpDecided(PilotDecision Decision, string? Guidelines, DateOnly? Until, string? Notes) : PilotChange { public const string Kind = "decided"; }

public sealed record EffortReported(string Task, string Party, decimal Hours) : PilotChange { public const string Kind = "effort"; }

public sealed record PostMortemSnoozed(long SiteId, string Site, DateOnly Until, string Reason) : PilotChange { public const string Kind = "post-mortem-snoozed"; }

public enum RequesterKind { Vo, Developer, Emt, Itr }

public enum ParticipantKind { Site, Vo }

public enum PilotDecision { Production, Prolong, Abandon }

/// <summary>One change to a pilot as people read it, and typed for code. Only ever appended, only ever written by <see cref="Of"/>.</summary>
public sealed class PilotHistory
{
    public long Id { get; set; }
    public long PilotId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string What { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }

    public PilotChange? Change => PilotChange.FromJson(Payload);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static PilotHistory Of(PilotChange change, Actor by, DateTimeOffset at)
    {
        var what = change switch
        {
            PilotRequested r => $"requested by {r.Requester} ({Names.Of(r.RequesterKind)}) as a {r.Category.Describe()}",
            PilotMoved m => $"{m.From.ToName()} → {m.To.ToName()}{(m.Reason is null ? "" : $": {m.Reason}")}",
            CoordinatorAppointed c => $"pilot coordinator: {c.Name} ({c.UserId})",
            ParticipantInvited i => $"{Names.Of(i.Who)} {i.Name} invited",
            ParticipantAnswered a => $"{Names.Of(a.Who)} {a.Name} {(a.Accepted ? "accepted" : "declined")}{(a.Reason is null ? "" : $": {a.Reason}")}",
            KickOffSet k => $"kick-off {PilotText.When(k.At, k.Zone)} ({k.Minutes} min); set-up {k.SetupDays} working days, " +
                $"feedback {k.FeedbackDays} working days, VO reminders every {k.CadenceDays}",
            SiteSetUp s => $"{s.Site} set up the pilot service",
            FeedbackGiven f => $"feedback from {Names.Of(f.Who)} {f.Name}: {f.Text}",
            PostMortemFiled p => $"post-mortem report from {p.Site}: {p.Report}",
            NoFeedbackRecorded n => $"no feedback from users: {n.Why}",
            NonCertifiedFlagged n => $"non-certified package {n.Package}: {n.Justification}",
            WrapUpDecided d => $"wrap-up decision: {Names.Of(d.Decision)}{(d.Until is { } u ? $" until {Day(u)}" : "")}" +
                $"{(d.Guidelines is null ? "" : $"; guidelines: {d.Guidelines}")}{(d.Notes is null ? "" : $"; {d.Notes}")}",
            EffortReported e => $"effort for {e.Task} by {e.Party}: {e.Hours.ToString("0.##", CultureInfo.InvariantCulture)} PH",
            PostMortemSnoozed s => $"post-mortem escalations for {s.Site} wait until {Day(s.Until)}: {s.Reason}",
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "A pilot change without a history sentence."),
        };
        return new PilotHistory { At = at, ByUserId = by.UserId, ByName = by.Name, What = what, Kind = change.StoredKind, Payload = change.ToJson() };
    }

    internal static void Map(ModelBuilder model) => model.Entity<PilotHistory>(e =>
    {
        e.ToTable("pilot_history");
        e.HasKey(h => h.Id);
        e.HasIndex(h => h.PilotId);
        e.Ignore(h => h.Change);
    });
}

/// <summary>The words people type and read for the small enums.</summary>
public static class Names
{
    public static string Of(RequesterKind k) => k switch { RequesterKind.Vo => "VO", RequesterKind.Emt => "EMT", RequesterKind.Itr => "ITR", _ => "developer" };
    public static string Of(ParticipantKind k) => k == ParticipantKind.Site ? "site" : "VO";
    public static string Of(PilotDecision d) => d switch { PilotDecision.Production => "production", PilotDecision.Prolong => "prolong", _ => "abandon" };

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            var name = v switch { RequesterKind r => Of(r), PilotDecision d => Of(d), ParticipantKind p => Of(p), _ => v.ToString() };
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        }
        value = default;
        return false;
    }
}
