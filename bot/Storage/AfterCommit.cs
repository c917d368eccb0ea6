using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rollout.Bot.Storage;

/// <summary>
/// Runs what a context asked to run once its transaction has committed (see <see cref="RolloutDb.AfterCommit"/>): the
/// outbox is woken only when its notices are visible to the dispatcher's own connection, not before.
/// </summary>
public sealed class AfterCommitInterceptor : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is RolloutDb db) db.RunAfterCommit();
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is RolloutDb db) db.RunAfterCommit();
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is RolloutDb db) db.ForgetAfterCommit();
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is RolloutDb db) db.ForgetAfterCommit();
        return Task.CompletedTask;
    }
}
