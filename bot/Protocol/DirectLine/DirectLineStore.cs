using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>
/// The conversations of the local channel: loaded from the database on first use after a start, then served
/// from memory. One instance owns them; several bot instances would each need their own rooms.
/// </summary>
public sealed class DirectLineStore(IDbContextFactory<RolloutDb> dbFactory, DirectLineWriter writer)
{
    private readonly ConcurrentDictionary<string, Task<DirectLineConversation?>> _live = new(StringComparer.Ordinal);

    /// <summary>The conversation, or null when it was never started.</summary>
    public async ValueTask<DirectLineConversation?> FindAsync(string conversationId, CancellationToken ct)
    {
        if (_live.TryGetValue(conversationId, out var known) && known.IsCompletedSuccessfully && known.Result is { } hot) return hot;
        var loading = _live.GetOrAdd(conversationId, id => LoadAsync(id));
        try
        {
            var found = await loading.WaitAsync(ct);
            if (found is null) _live.TryRemove(KeyValuePair.Create(conversationId, loading));
            return found;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _live.TryRemove(KeyValuePair.Create(conversationId, loading));
            throw;
        }
    }

    /// <summary>The conversation, started (and stored) if it does not exist yet.</summary>
    public async ValueTask<(DirectLineConversation Conversation, bool Created)> OpenAsync(
        string conversationId, string? name, bool isGroup, CancellationToken ct)
    {
        while (true)
        {
            if (await FindAsync(conversationId, ct) is { } existing) return (existing, false);
            var created = new DirectLineConversation(conversationId, name, isGroup, [], [], 0, writer);
            var winner = _live.GetOrAdd(conversationId, Task.FromResult<DirectLineConversation?>(created));
            if (await winner is not { } conversation) continue;
            if (!ReferenceEquals(conversation, created)) return (conversation, false);
            writer.Enqueue(new DirectLineWrite.Conversation(conversationId, name, isGroup, "[]"));
            return (conversation, true);
        }
    }

    /// <summary>
    /// Activities after a watermark below the in-memory window, from the database, oldest first, and the
    /// highest seq looked at (deleted rows count, so the client moves past them). Rows are written in seq order,
    /// so what is on disk is a gap-free prefix; when nothing newer is on disk yet the watermark stays put.
    /// </summary>
    public async Task<(List<DirectLineEntry> Entries, long Watermark)> OlderAsync(
        string conversationId, long watermark, int max, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DirectLineActivities.AsNoTracking()
            .Where(a => a.ConversationId == conversationId && a.Seq > watermark)
            .OrderBy(a => a.Seq).Take(max).ToListAsync(ct);
        return (rows.Where(r => r.Json != null).Select(ToEntry).ToList(), rows.Count > 0 ? rows[^1].Seq : watermark);
    }

    /// <summary>An activity that has left the in-memory window.</summary>
    public async Task<DirectLineEntry?> FindOlderAsync(string conversationId, string activityId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.DirectLineActivities.AsNoTracking()
            .FirstOrDefaultAsync(a => a.ConversationId == conversationId && a.ActivityId == activityId && a.Json != null, ct);
        return row is null ? null : ToEntry(row);
    }

    private async Task<DirectLineConversation?> LoadAsync(string conversationId)
    {
        // No flush needed first: a conversation with queued changes is live, and live ones are never unloaded.
        await using var db = await dbFactory.CreateDbContextAsync();
        var row = await db.DirectLineConversations.AsNoTracking().FirstOrDefaultAsync(c => c.ConversationId == conversationId);
        if (row is null) return null;
        var activities = db.DirectLineActivities.AsNoTracking().Where(a => a.ConversationId == conversationId);
        var lastSeq = await activities.MaxAsync(a => (long?)a.Seq) ?? 0;
        var recent = await activities.Where(a => a.Json != null).OrderByDescending(a => a.Seq)
            .Take(DirectLineConversation.Window).ToListAsync();
        recent.Reverse();
        var members = JsonSerializer.Deserialize<List<ChannelAccount>>(row.MembersJson, ProtocolJson.Options) ?? [];
        return new DirectLineConversation(row.ConversationId, row.Name, row.IsGroup, members,
            recent.Select(ToEntry).ToList(), lastSeq, writer);
    }

    private static DirectLineEntry ToEntry(DirectLineActivityRow row)
    {
        var json = Encoding.UTF8.GetBytes(row.Json!);
        var timestamp = JsonSerializer.Deserialize<TimestampOnly>(json, ProtocolJson.Options)?.Timestamp;
        return new DirectLineEntry(row.Seq, row.ActivityId, timestamp, json);
    }

    private sealed record TimestampOnly(DateTimeOffset? Timestamp);
}
