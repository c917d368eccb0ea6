using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Conversation;

/// <summary>Settings of the command pipeline (section <c>Rollout</c>, next to the stacks and components).</summary>
public sealed class CommandOptions
{
    public const string Section = "Rollout";

    /// <summary>How many times a command is re-run when another write got in first (a concurrent change, a unique key).</summary>
    [Range(1, 50)]
    public int ConcurrencyAttempts { get; set; } = 5;
}

/// <summary>
/// The one way every typed command and every card click runs. It owns who is asking, the database context, the
/// clock, the write transaction with its concurrency retry, the reactions to what changed, one logged apology with a
/// correlation id when something unexpected fails, and the answer: a reply in the conversation, or the invoke
/// response of an <c>Action.Execute</c> click. A refusal rolls back whatever the handler had started.
/// </summary>
public sealed class CommandPipeline(
    IDbContextFactory<RolloutDb> dbs, CallerResolver callers, Reactions reactions, TimeProvider clock,
    IOptions<CommandOptions> options, PrivateAnswers privately, ILogger<CommandPipeline> logger)
{
    public async Task RunAsync(TurnContext turn, CommandDefinition command, ParsedCommand parsed, CancellationToken ct)
    {
        Reply reply;
        try
        {
            reply = await RunAttemptsAsync(turn, command, parsed, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var correlation = Guid.NewGuid().ToString("N")[..8];
            logger.LogError(ex, "Command /{Command} failed (error {Correlation}) for {User} in {Conversation}",
                command.Name, correlation, turn.UserId, turn.ConversationId);
            reply = Reply.No($"Sorry, `/{command.Name}` failed on my side and changed nothing (error {correlation}, logged for the operators). " +
                "Try again in a moment; if it keeps failing, tell a coordinator the error number.");
            turn.FailedOnOurSide();
        }
        await AnswerAsync(turn, reply, ct);
    }

    private async Task<Reply> RunAttemptsAsync(TurnContext turn, CommandDefinition command, ParsedCommand parsed, CancellationToken ct)
    {
        var chat = new ChatFacts(turn.ChannelId, turn.ConversationId, turn.IsGroup, turn.TeamsChannelId, turn.TenantId, turn.Click is not null,
            turn.Click is not null ? turn.Activity.ReplyToId : null, turn.Activity.ServiceUrl);
        var attempts = options.Value.ConcurrencyAttempts;
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var caller = await callers.ResolveAsync(turn.UserId, turn.UserName, db, ct);
            var session = new CommandSession(db, caller, parsed, chat, clock.GetUtcNow(), command.Writes, ct);
            if (!command.Writes) return await command.Handler(session);

            // On SQLite writers of this process queue in the gate (asynchronously), then BEGIN IMMEDIATE finds the lock free.
            using var writer = await db.WriterAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var reply = await command.Handler(session);
                if (reply.IsRefusal)
                {
                    await tx.RollbackAsync(ct);
                    return reply;
                }
                // Saved first so that new rows (a new ticket) have their ids when the reactions name them.
                await db.SaveChangesAsync(ct);
                await reactions.PublishAsync(db, caller.Actor, session.Now, ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return reply;
            }
            catch (DbUpdateException e) when (IsConflict(e) && attempt < attempts)
            {
                // The same race seen by the database (a site accepting twice, a component added at the same moment):
                // the next attempt reads the winner's write and answers accordingly.
                logger.LogInformation("/{Command} conflicted with a concurrent write (attempt {Attempt}); running it again", command.Name, attempt);
            }
            catch (DbUpdateException e) when (IsConflict(e))
            {
                return Reply.No($"What `/{command.Name}` changes was changed by someone else while I was saving, {attempts} times over, " +
                    "so I changed nothing. Look at the current state and try again.");
            }
        }
    }

    private static bool IsConflict(DbUpdateException e) => e is DbUpdateConcurrencyException || e.IsUniqueViolation();

    /// <summary>
    /// An Execute click is answered in its invoke response, which only the clicker sees (a refusal as an error). Otherwise the answer goes to the
    /// conversation, except in a shared room when it is meant for the asker alone (a refusal, the confirmation of a
    /// Submit click whose card everyone sees updated): then to their personal chat.
    /// </summary>
    private async Task AnswerAsync(TurnContext turn, Reply reply, CancellationToken ct)
    {
        if (turn.Click is not { IsExecute: true })
        {
            if (reply.IsRefusal || turn.Click is not null) await privately.TellAsync(turn, reply.ToMessage(), ct);
            else turn.Reply(reply.ToMessage());
            return;
        }
        // A refusal is Teams' error answer, shown in red under the clicked card to the clicker alone; a refusal that
        // brings its own card (a choice of site) is a question, not an error, so it stays a message.
        if (reply.IsRefusal && reply.Card is null)
            turn.AnswerInvokeWithError(turn.Failed ? 500 : 400, turn.Failed ? InvokeErrors.FailedOnOurSide : InvokeErrors.Refused, reply.Text);
        else if (reply.UpdatedCard is { } updated) turn.AnswerInvokeWithCard(updated);
        else turn.AnswerInvoke(reply.Text);
        // A card of its own (a choice of site, a form) cannot ride in the invoke answer: it goes to the clicker.
        if (reply.Card is not null) await privately.TellAsync(turn, reply.ToMessage(), ct);
    }
}
