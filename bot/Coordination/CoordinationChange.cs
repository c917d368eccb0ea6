using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rollout.Bot.Coordination;

/// <summary>
/// Something that happened to a meeting, an action or a task force. Stored as the sentence people read and as a
/// stable kind with a JSON payload (table <c>coordination_history</c>), as ticket changes are; nothing parses the sentence.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(MeetingAdded), MeetingAdded.Kind)]
[JsonDerivedType(typeof(MeetingChanged), MeetingChanged.Kind)]
[JsonDerivedType(typeof(MeetingRemoved), MeetingRemoved.Kind)]
[JsonDerivedType(typeof(OccurrenceCancelled), OccurrenceCancelled.Kind)]
[JsonDerivedType(typeof(OccurrenceMoved), OccurrenceMoved.Kind)]
[JsonDerivedType(typeof(BulletinNoteSet), BulletinNoteSet.Kind)]
[JsonDerivedType(typeof(ActionAdded), ActionAdded.Kind)]
[JsonDerivedType(typeof(ActionDone), ActionDone.Kind)]
[JsonDerivedType(typeof(ActionReassigned), ActionReassigned.Kind)]
[JsonDerivedType(typeof(ActionDueMoved), ActionDueMoved.Kind)]
[JsonDerivedType(typeof(AgendaItemAdded), AgendaItemAdded.Kind)]
[JsonDerivedType(typeof(AgendaItemMoved), AgendaItemMoved.Kind)]
[JsonDerivedType(typeof(AgendaItemDropped), AgendaItemDropped.Kind)]
[JsonDerivedType(typeof(MinutesRecorded), MinutesRecorded.Kind)]
[JsonDerivedType(typeof(TaskForceCreated), TaskForceCreated.Kind)]
[JsonDerivedType(typeof(TaskForceJoined), TaskForceJoined.Kind)]
[JsonDerivedType(typeof(TaskForceLeft), TaskForceLeft.Kind)]
[JsonDerivedType(typeof(TaskForceStatusSet), TaskForceStatusSet.Kind)]
[JsonDerivedType(typeof(TaskForcePrioritised), TaskForcePrioritised.Kind)]
[JsonDerivedType(typeof(TaskForceRoomBound), TaskForceRoomBound.Kind)]
[JsonDerivedType(typeof(TaskForceDissolved), TaskForceDissolved.Kind)]
public abstract record CoordinationChange
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CoordinationChange? FromJson(string json) => JsonSerializer.Deserialize<CoordinationChange>(json, Json);

    public static string KindOf<T>() where T : CoordinationChange => Kinds[typeof(T)];

    private static readonly Dictionary<Type, string> Kinds = typeof(CoordinationChange)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    [JsonIgnore]
    public string StoredKind => Kinds[GetType()];
}

public sealed record MeetingAdded(string Name, string Schedule) : CoordinationChange { public const string Kind = "meeting-added"; }
public sealed record MeetingChanged(string Field, string? From, string? To) : CoordinationChange { public const string Kind = "meeting-changed"; }
public sealed record MeetingRemoved(string Name) : CoordinationChange { public const string Kind = "meeting-removed"; }
public sealed record OccurrenceCancelled(DateOnly Date, string? Reason) : CoordinationChange { public const string Kind = "occurrence-cancelled"; }
public sealed record OccurrenceMoved(DateOnly Date, DateTime To, string? Reason) : CoordinationChange { public const string Kind = "occurrence-moved"; }
public sealed record BulletinNoteSet(DateOnly Date, string? Note) : CoordinationChange { public const string Kind = "bulletin-note-set"; }

public sealed record ActionAdded(string Text, string Owner, DateOnly Due, string? Meeting, string? TaskForce) : CoordinationChange { public const string Kind = "action-added"; }
public sealed record ActionDone(string? Note) : CoordinationChange { public const string Kind = "action-done"; }
public sealed record ActionReassigned(string From, string To) : CoordinationChange { public const string Kind = "action-reassigned"; }
public sealed record ActionDueMoved(DateOnly From, DateOnly To) : CoordinationChange { public const string Kind = "action-due-moved"; }

public sealed record AgendaItemAdded(long Item, DateOnly Date, string Text) : CoordinationChange { public const string Kind = "agenda-item-added"; }
public sealed record AgendaItemMoved(long Item, int From, int To) : CoordinationChange { public const string Kind = "agenda-item-moved"; }
public sealed record AgendaItemDropped(long Item, string Text) : CoordinationChange { public const string Kind = "agenda-item-dropped"; }
public sealed record MinutesRecorded(DateOnly Date, int Decisions, bool Replaced) : CoordinationChange { public const string Kind = "minutes-recorded"; }

public sealed record TaskForceCreated(string Name, string Mandate, string Lead, DateOnly? Until) : CoordinationChange { public const string Kind = "taskforce-created"; }
public sealed record TaskForceJoined(string Member) : CoordinationChange { public const string Kind = "taskforce-joined"; }
public sealed record TaskForceLeft(string Member) : CoordinationChange { public const string Kind = "taskforce-left"; }
public sealed record TaskForceStatusSet(string Status) : CoordinationChange { public const string Kind = "taskforce-status-set"; }
public sealed record TaskForcePrioritised(int? From, int To) : CoordinationChange { public const string Kind = "taskforce-prioritised"; }
public sealed record TaskForceRoomBound(string Conversation) : CoordinationChange { public const string Kind = "taskforce-room-bound"; }
public sealed record TaskForceDissolved(string Note) : CoordinationChange { public const string Kind = "taskforce-dissolved"; }
