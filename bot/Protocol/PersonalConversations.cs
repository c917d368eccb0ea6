using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol;

/// <summary>
/// Where to reach a person directly: their personal (1:1) conversation with the bot once they have written in one.
/// A Teams user heard only in a group or channel is kept with no conversation yet: the dispatcher can then create
/// the 1:1 conversation (PROTOCOL §4), which Teams allows when the bot is installed for them.
/// </summary>
public sealed class UserConversation
{
    public required string UserId { get; set; }
    public required string ChannelId { get; set; }
    public required string ServiceUrl { get; set; }
    public string? TenantId { get; set; }
    public string? BotId { get; set; }
    public string? BotName { get; set; }
    public string? UserName { get; set; }
    public string? ConversationId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    internal static void Map(ModelBuilder model) => model.Entity<UserConversation>(e =>
    {
        e.ToTable("user_conversations");
        e.HasKey(u => u.UserId);
    });
}

/// <summary>Told when a person the bot could not reach before can now be reached (e.g. to send what waited for them).</summary>
public interface IReachabilityListener
{
    Task OnReachableAsync(string userId, CancellationToken ct);
}

/// <summary>
/// Remembers each person's personal conversation from their inbound turns. Called on every turn, so it writes only
/// when what it would store differs from what it last stored (a dictionary lookup otherwise).
/// </summary>
public sealed class PersonalConversations(
    IDbContextFactory<RolloutDb> dbFactory, TimeProvider clock, IEnumerable<IReachabilityListener> listeners) : IInboundObserver
{
    public const string Teams = "msteams";

    /// <summary>What was last written per person: the conversation signature ("group-seen" for a group sighting) and the name.</summary>
    private readonly ConcurrentDictionary<string, (string Signature, string? Name)> _written = new(StringComparer.Ordinal);
    private const string GroupSeen = "group-seen";
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>
    /// The people with these user ids as a message can mention them: with the name kept from their own messages, or
    /// just the id when the bot has never heard them.
    /// </summary>
    public async Task<IReadOnlyList<Person>> PeopleAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.UserConversations.AsNoTracking().Where(u => userIds.Contains(u.UserId))
            .ToDictionaryAsync(u => u.UserId, u => u.UserName, ct);
        return userIds.Distinct().Select(id => new Person(id, names.GetValueOrDefault(id))).ToList();
    }

    public static bool IsPersonal(Activity activity) =>
        activity.Conversation?.ConversationType is { } type
            ? string.Equals(type, "personal", StringComparison.OrdinalIgnoreCase)
            : activity.Conversation?.IsGroup != true;

    public async Task OnInboundAsync(Activity activity, CancellationToken ct)
    {
        var userId = activity.From?.Id;
        if (string.IsNullOrWhiteSpace(userId) || activity.ServiceUrl is null || activity.ChannelId is null) return;
        // Installing the bot for oneself (Teams) also reveals the personal conversation, before any message.
        if (activity.Type is not (ActivityTypes.Message or ActivityTypes.Invoke or ActivityTypes.ConversationUpdate
            or ActivityTypes.InstallationUpdate)) return;
        var personal = IsPersonal(activity);
        // Outside a personal chat only Teams gives what creating a 1:1 conversation needs (tenant, user id).
        if (!personal && activity.ChannelId != Teams) return;

        var conversationId = personal ? activity.Conversation!.Id : null;
        var signature = string.Join('\n', activity.ChannelId, activity.ServiceUrl, conversationId, activity.Conversation?.TenantId,
            activity.Recipient?.Id);
        // Teams names nobody in installation and membership events; a name is kept from the person's own messages.
        var name = string.IsNullOrWhiteSpace(activity.From?.Name) || activity.From.Name == userId ? null : activity.From.Name;
        if (Known(userId, signature, personal, name)) return;

        // Writes are rare (a new person, a moved conversation), so one at a time: two first turns of the same person
        // then make one insert instead of a unique-key failure that EF logs as an error. Across bot instances the
        // race remains and is caught below.
        await _writeGate.WaitAsync(ct);
        try
        {
            if (Known(userId, signature, personal, name)) return;
            await WriteAsync(activity, userId, personal, conversationId, signature, name, ct);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private bool Known(string userId, string signature, bool personal, string? name) =>
        _written.TryGetValue(userId, out var seen) && (seen.Signature == signature || !personal) && (name is null || seen.Name == name);

    private async Task WriteAsync(Activity activity, string userId, bool personal, string? conversationId, string signature,
        string? name, CancellationToken ct)
    {
        var channelId = activity.ChannelId!;  // checked by the caller
        var serviceUrl = activity.ServiceUrl!;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.UserConversations.FindAsync([userId], ct);
        if (row is null)
        {
            row = new UserConversation { UserId = userId, ChannelId = channelId, ServiceUrl = serviceUrl };
            db.UserConversations.Add(row);
        }
        else if (!personal && row.ConversationId is not null)
        {
            // A known personal conversation is never replaced by a group sighting; only a new name is taken from it.
            if (name is not null && row.UserName != name)
            {
                row.UserName = name;
                row.UpdatedAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
            }
            _written[userId] = (_written.TryGetValue(userId, out var seen) ? seen.Signature : GroupSeen, row.UserName);
            return;
        }
        var newlyReachable = row.ConversationId is null && (conversationId is not null || db.Entry(row).State == EntityState.Added);
        row.ChannelId = channelId;
        row.ServiceUrl = serviceUrl;
        row.TenantId = activity.Conversation?.TenantId ?? row.TenantId;
        row.BotId = activity.Recipient?.Id;
        row.BotName = activity.Recipient?.Name;
        row.UserName = name ?? row.UserName;
        row.ConversationId = conversationId ?? row.ConversationId;
        row.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent first turn of the same person inserted the row; the next turn writes again if needed.
            return;
        }
        _written[userId] = (personal ? signature : GroupSeen, row.UserName);
        // Notices parked because nobody knew where to reach this person can go now.
        if (newlyReachable)
            foreach (var listener in listeners) await listener.OnReachableAsync(userId, ct);
    }
}
