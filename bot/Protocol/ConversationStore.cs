using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol;

/// <summary>A conversation reference kept in the database so proactive sends survive a restart.</summary>
public sealed class StoredConversation
{
    public required string ChannelId { get; set; }
    public required string ConversationId { get; set; }
    public required string ServiceUrl { get; set; }
    public string? TenantId { get; set; }
    public bool IsGroup { get; set; }
    public string? Name { get; set; }
    public required string ReferenceJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The serviceUrl came on an activity with a valid channel token (0016): rows from a run without auth are not.</summary>
    public bool Trusted { get; set; }

    internal ConversationReference Reference => JsonSerializer.Deserialize<ConversationReference>(ReferenceJson, ProtocolJson.Options)!;

    /// <summary>The bot's account in this conversation, as proactive sends must name it.</summary>
    public Person? Bot => Reference.Bot is { Id: { } id } bot ? new Person(id, bot.Name) : null;

    internal static void Map(ModelBuilder model) => model.Entity<StoredConversation>(e =>
    {
        e.ToTable("conversations");
        e.HasKey(c => new { c.ChannelId, c.ConversationId });
    });
}

/// <summary>
/// Remembers the reference of every conversation the bot hears from (written only when it is new or changed,
/// so the hot path stays a dictionary lookup), and which serviceUrls are trusted to receive the bot's token.
/// </summary>
public sealed class ConversationStore(IDbContextFactory<RolloutDb> dbFactory, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string, string), Fingerprint> _known = new();

    /// <summary>
    /// What makes a stored reference stale. In a group conversation the author changes with every turn but does
    /// not matter for posting there, so it is left out: a busy room is not rewritten on every message.
    /// </summary>
    private sealed record Fingerprint(string ServiceUrl, string? TenantId, bool IsGroup, string? Name, string? BotId, string? UserId, bool Trusted)
    {
        public static Fingerprint Of(Activity a, bool trusted)
        {
            var isGroup = a.Conversation!.IsGroup ?? false;
            return new(a.ServiceUrl!, a.Conversation.TenantId, isGroup, a.Conversation.Name, a.Recipient?.Id, isGroup ? null : a.From?.Id, trusted);
        }
    }
    private readonly ConcurrentDictionary<string, bool> _trusted = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <param name="authenticated">A valid channel token came with it: the serviceUrl may receive the bot's token.</param>
    public async Task RememberAsync(Activity activity, bool authenticated, CancellationToken ct)
    {
        if (activity.ChannelId is null || activity.Conversation?.Id is null || activity.ServiceUrl is null) return;
        var key = (activity.ChannelId, activity.Conversation.Id);
        if (authenticated) _trusted[activity.ServiceUrl] = true;
        var fingerprint = Fingerprint.Of(activity, authenticated);
        if (_known.TryGetValue(key, out var seen) && seen == fingerprint) return;

        // Writes are rare (a new or changed conversation), so one at a time: concurrent first turns of one conversation
        // make one insert instead of a unique-key failure that EF logs as an error. Across instances it is caught below.
        await _writeGate.WaitAsync(ct);
        try
        {
            if (_known.TryGetValue(key, out seen) && seen == fingerprint) return;
            await WriteAsync(activity, key, fingerprint, ct);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task WriteAsync(Activity activity, (string, string) key, Fingerprint fingerprint, CancellationToken ct)
    {
        var serviceUrl = activity.ServiceUrl!;  // checked by the caller
        var conversation = activity.Conversation!;
        var reference = activity.GetConversationReference();
        reference.ActivityId = null;
        var json = JsonSerializer.Serialize(reference, ProtocolJson.Options);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Conversations.FindAsync([key.Item1, key.Item2], ct);
        if (row is null)
        {
            row = new StoredConversation
            {
                ChannelId = key.Item1, ConversationId = key.Item2, ServiceUrl = serviceUrl, ReferenceJson = json,
            };
            db.Conversations.Add(row);
        }
        row.ServiceUrl = serviceUrl;
        row.TenantId = conversation.TenantId;
        row.IsGroup = conversation.IsGroup ?? false;
        row.Name = conversation.Name;
        row.ReferenceJson = json;
        row.Trusted = fingerprint.Trusted;
        row.UpdatedAt = clock.GetUtcNow();
        try
        {
            using var writer = await db.WriterAsync(ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another turn of the same new conversation inserted it first; the reference is stored either way.
        }
        _known[key] = fingerprint;
    }

    public async Task<ConversationReference?> FindAsync(string channelId, string conversationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Conversations.AsNoTracking()
            .FirstOrDefaultAsync(c => c.ChannelId == channelId && c.ConversationId == conversationId, ct);
        return row?.Reference;
    }

    /// <summary>
    /// True when the serviceUrl came on an authenticated activity, now or before a restart; one stored while the bot ran
    /// without auth is not (issue 12 item 3): nobody vouched for it.
    /// </summary>
    public async Task<bool> IsTrustedServiceUrlAsync(string serviceUrl, CancellationToken ct)
    {
        if (_trusted.ContainsKey(serviceUrl)) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trimmed = serviceUrl.TrimEnd('/');
        var known = await db.Conversations.AsNoTracking()
            .AnyAsync(c => c.Trusted && (c.ServiceUrl == serviceUrl || c.ServiceUrl == trimmed || c.ServiceUrl == trimmed + "/"), ct);
        if (known) _trusted[serviceUrl] = true;
        return known;
    }
}
