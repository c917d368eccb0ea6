using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>Where a command was said: enough for commands that bind a conversation or answer differently in rooms.</summary>
/// <remarks>
/// <paramref name="ClickedActivityId"/>: for a click, the id of the message whose card was clicked (the activity's
/// replyToId), as the channel gave it; <paramref name="ServiceUrl"/>: where that channel takes the bot's calls.
/// </remarks>
public sealed record ChatFacts(string ChannelId, string ConversationId, bool IsGroup, string? TeamsChannelId, string? TenantId, bool IsClick,
    string? ClickedActivityId = null, string? ServiceUrl = null);

/// <summary>
/// One attempt of one command, as its handler sees it: the database (inside the write transaction when the command
/// writes), who is asking, what they typed, where, and the time it runs at. Handlers take nothing else from the turn;
/// what else they need is given to their definition when the feature registers it.
/// </summary>
public sealed class CommandSession(
    RolloutDb db, Caller caller, ParsedCommand command, ChatFacts chat, DateTimeOffset now, bool writes, CancellationToken ct)
{
    public RolloutDb Db { get; } = db;
    public Caller Caller { get; } = caller;
    public ParsedCommand Command { get; } = command;
    public ChatFacts Chat { get; } = chat;
    public DateTimeOffset Now { get; } = now;

    /// <summary>True inside the command's write transaction: reads meant for an update lock their rows (PostgreSQL).</summary>
    public bool Writes { get; } = writes;

    public CancellationToken Ct { get; } = ct;

    public Actor Actor => Caller.Actor;

    /// <summary>Null when the caller holds <paramref name="role"/>; otherwise the refusal to return.</summary>
    public Reply? Require(Role role, string what) => Caller.Has(role) ? null : Refusals.Role(Caller, Refusals.Who(role), what);

    /// <summary>The refusal for the usual "only X can use /name".</summary>
    public Reply? RequireToUse(Role role) => Require(role, $"use `/{Command.Name}`");
}

/// <summary>A command's handler: one shape for every command and every card click.</summary>
public delegate Task<Reply> CommandHandler(CommandSession session);
