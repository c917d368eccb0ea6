using Rollout.Bot.Notices;
using Rollout.Bot.Tests.Notices;

namespace Rollout.Bot.Tests.Storage;

/// <summary>The outbox is woken once the notice's transaction has committed, not when SaveChanges ran inside it.</summary>
public sealed class AfterCommitTests
{
    [Fact]
    public async Task AnActionQueuedInsideATransaction_RunsOnlyAfterItCommits_AndNeverAfterARollback()
    {
        using var app = new NoticesApp(worker: false);
        await using var db = await app.DbAsync();
        var runs = 0;

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.AfterCommit(() => runs++);
            db.AfterCommit(() => runs++);
            Assert.Equal(0, runs);
            await tx.RollbackAsync();
        }
        Assert.Equal(0, runs);

        Action once = () => runs++;
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.AfterCommit(once);
            db.AfterCommit(once);
            Assert.Equal(0, runs);
            await tx.CommitAsync();
        }
        Assert.Equal(1, runs);

        db.AfterCommit(once); // no transaction: SaveChanges has committed already
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task ANoticeQueuedInACommandsTransaction_IsSentAfterTheCommit_WithoutWaitingForThePoll()
    {
        using var app = new NoticesApp(settings: new() { ["Notices:PollInterval"] = "00:10:00" });
        await app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await app.Get<OutboxDispatcher>().RunOnceAsync();

        await using (var db = await app.DbAsync())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await app.Get<Outbox>().AddAsync(db, "in-tx", NoticeRecipient.Channel("operations"), "after the commit");
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        var calls = await app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"), TimeSpan.FromSeconds(30));
        Assert.Equal("after the commit", calls.Single(c => c.Op == "send").Activity.Text);
    }
}
