using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Protocol.DirectLine;

/// <summary>A change to the stored history, in the order the conversation made it.</summary>
public abstract record DirectLineWrite(string ConversationId)
{
    public sealed record Conversation(string ConversationId, string? Name, bool IsGroup, string MembersJson) : DirectLineWrite(ConversationId);
    public sealed record Activity(string ConversationId, string ActivityId, long Seq, string? Json) : DirectLineWrite(ConversationId);
}

/// <summary>
/// Writes the history behind the live conversations, many changes per transaction: clients are served from
/// memory, so a turn never waits for the disk. Stopping the host drains what is queued, so a restart loses
/// nothing; a crash can lose the last moments of chat, which this development channel accepts.
/// </summary>
public sealed class DirectLineWriter(IDbContextFactory<RolloutDb> dbFactory, ILogger<DirectLineWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private const string UpsertConversation =
        "INSERT INTO dl_conversations (conversation_id, name, is_group, members_json) VALUES (@c, @n, @g, @m) " +
        "ON CONFLICT (conversation_id) DO UPDATE SET members_json = excluded.members_json";
    private const string UpsertActivity =
        "INSERT INTO dl_activities (conversation_id, activity_id, seq, json) VALUES (@c, @a, @s, @j) " +
        "ON CONFLICT (conversation_id, activity_id) DO UPDATE SET seq = excluded.seq, json = excluded.json";

    private readonly Channel<DirectLineWrite> _queue = Channel.CreateUnbounded<DirectLineWrite>(new() { SingleReader = true });

    public void Enqueue(DirectLineWrite write) => _queue.Writer.TryWrite(write);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<DirectLineWrite>(BatchSize);
        // Keeps draining after the stop signal: the queue is completed in StopAsync and read to the end.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var write)) batch.Add(write);
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                logger.LogError(ex, "Could not store {Count} Direct Line changes", batch.Count);
            }
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(List<DirectLineWrite> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync();
        await using var conversation = Command(connection, tx, UpsertConversation, "@c", "@n", "@g", "@m");
        await using var activity = Command(connection, tx, UpsertActivity, "@c", "@a", "@s", "@j");
        foreach (var write in batch)
        {
            switch (write)
            {
                case DirectLineWrite.Conversation c:
                    await ExecuteAsync(conversation, c.ConversationId, c.Name, c.IsGroup, c.MembersJson);
                    break;
                case DirectLineWrite.Activity a:
                    await ExecuteAsync(activity, a.ConversationId, a.ActivityId, a.Seq, a.Json);
                    break;
            }
        }
        await tx.CommitAsync();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static Task<int> ExecuteAsync(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync();
    }
}
