using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Coordination;

/// <summary>
/// One change to a meeting (<c>meeting:N</c>), an action (<c>action:N</c>) or a task force (<c>taskforce:N</c>): who,
/// when, the sentence people read, and the typed change. Only ever appended, only ever written by <see cref="Record"/>.
/// </summary>
public sealed class CoordinationHistory
{
    public long Id { get; set; }
    public required string Subject { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ByUserId { get; set; }
    public required string ByName { get; set; }
    public required string What { get; set; }
    public required string Kind { get; set; }
    public required string Payload { get; set; }

    public CoordinationChange? Change => CoordinationChange.FromJson(Payload);

    public static void Record(RolloutDb db, string subject, CoordinationChange change, Actor by, DateTimeOffset at) =>
        db.Set<CoordinationHistory>().Add(new CoordinationHistory
        {
            Subject = subject, At = at, ByUserId = by.UserId, ByName = by.Name, What = Sentence(change),
            Kind = change.StoredKind, Payload = change.ToJson(),
        });

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The sentence people read; written here and nowhere else.</summary>
    public static string Sentence(CoordinationChange change) => change switch
    {
        MeetingAdded a => $"meeting {a.Name} added: {a.Schedule}",
        MeetingChanged c => $"{c.Field}: {c.From ?? "–"} → {c.To ?? "–"}",
        MeetingRemoved r => $"meeting {r.Name} removed",
        OccurrenceCancelled c => $"the meeting of {D(c.Date)} is cancelled" + (c.Reason is null ? "" : $": {c.Reason}"),
        OccurrenceMoved m => $"the meeting of {D(m.Date)} moved to {m.To:yyyy-MM-dd HH:mm}" + (m.Reason is null ? "" : $": {m.Reason}"),
        BulletinNoteSet n => n.Note is null ? $"bulletin note of {D(n.Date)} removed" : $"bulletin note of {D(n.Date)}: {n.Note}",
        ActionAdded a => $"action for {a.Owner}, due {D(a.Due)}: {a.Text}",
        ActionDone d => "done" + (d.Note is null ? "" : $": {d.Note}"),
        ActionReassigned r => $"owner: {r.From} → {r.To}",
        ActionDueMoved m => $"due: {D(m.From)} → {D(m.To)}",
        AgendaItemAdded a => $"agenda item {a.Item} for {D(a.Date)}: {a.Text}",
        AgendaItemMoved m => $"agenda item {m.Item}: position {m.From} → {m.To}",
        AgendaItemDropped d => $"agenda item {d.Item} dropped: {d.Text}",
        MinutesRecorded m => $"minutes of {D(m.Date)} {(m.Replaced ? "replaced" : "recorded")} ({m.Decisions} decision(s))",
        TaskForceCreated c => $"task force {c.Name} created, led by {c.Lead}" + (c.Until is { } u ? $" until {D(u)}" : "") + $": {c.Mandate}",
        TaskForceJoined j => $"{j.Member} joined",
        TaskForceLeft l => $"{l.Member} left",
        TaskForceStatusSet s => $"status: {s.Status}",
        TaskForcePrioritised p => $"priority: {(p.From is { } f ? f.ToString(CultureInfo.InvariantCulture) : "–")} → {p.To}",
        TaskForceRoomBound r => $"room bound: {r.Conversation}",
        TaskForceDissolved d => $"dissolved: {d.Note}",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "A coordination change without a sentence."),
    };

    internal static void Map(ModelBuilder model) => model.Entity<CoordinationHistory>(e =>
    {
        e.ToTable("coordination_history");
        e.HasKey(h => h.Id);
        e.Ignore(h => h.Change);
    });
}
