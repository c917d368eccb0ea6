using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Notices;

public sealed class CardUpdateTests : IDisposable
{
    private readonly NoticesApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CardUpdate_PutsEveryPostedCopyInPlace()
    {
        await _app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await _app.SayAsync("/help", userId: "u-erin", conversationId: "conv-erin");
        await using (var db = await _app.DbAsync())
        {
            var outbox = _app.Get<Outbox>();
            await outbox.AddAsync(db, "ticket:42:card", NoticeRecipient.Channel("operations"), Card("Verified"), "ticket:42");
            await outbox.AddAsync(db, "ticket:42:card", NoticeRecipient.User("u-erin"), Card("Verified"), "ticket:42");
            await db.SaveChangesAsync();
        }
        var posted = (await _app.Connector.WaitForAsync(c => c.Count(x => x.Op == "send") == 2)).Where(c => c.Op == "send").ToList();
        await using (var db = await _app.DbAsync())
        {
            await WaitForCopiesAsync(_app, 2);
            Assert.Equal(2, await _app.Get<Outbox>().AddCardUpdateAsync(db, "ticket:42", Card("Rolling out")));
            await db.SaveChangesAsync();
        }

        var updates = (await _app.Connector.WaitForAsync(c => c.Count(x => x.Op == "update") == 2)).Where(c => c.Op == "update").ToList();
        var sentIds = await SentActivityIdsAsync();
        Assert.Equal(sentIds.OrderBy(x => x), updates.Select(u => u.Activity.Id!).OrderBy(x => x));
        Assert.Equal(posted.Select(p => p.ConversationId).Order(), updates.Select(u => u.ConversationId).Order());
        Assert.All(updates, u => Assert.Equal("Rolling out", CardTitle(u.Activity)));
    }

    [Fact]
    public async Task CardUpdatedBeforeItWasSent_GoesOutOnceWithTheNewestContent()
    {
        await using (var db = await _app.DbAsync())
        {
            var outbox = _app.Get<Outbox>();
            await outbox.AddAsync(db, "ticket:9:card", NoticeRecipient.Channel("security"), Card("Verified"), "ticket:9");
            await db.SaveChangesAsync();
            Assert.Equal(0, await outbox.AddCardUpdateAsync(db, "ticket:9", Card("Rejected")));
            await db.SaveChangesAsync();
        }
        await OutboxDeliveryTests.WaitForStateAsync(_app, "ticket:9:card", NoticeState.Parked);
        await _app.SayAsync("/channel bind security", conversationId: "conv-sec", isGroup: true);

        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"));
        Assert.Equal("Rejected", CardTitle(calls.Single(c => c.Op == "send").Activity));
        Assert.DoesNotContain(calls, c => c.Op == "update");
    }

    [Fact]
    public async Task CardUpdatedInTheSameTransactionThatQueuedIt_GoesOutWithTheNewestContent()
    {
        await _app.SayAsync("/channel bind operations", conversationId: "conv-ops", isGroup: true);
        await using (var db = await _app.DbAsync())
        {
            var outbox = _app.Get<Outbox>();
            await outbox.AddAsync(db, "ticket:5:card", NoticeRecipient.Channel("operations"), Card("Certified"), "ticket:5");
            await outbox.AddCardUpdateAsync(db, "ticket:5", Card("Unverified"));
            await db.SaveChangesAsync();
        }

        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"));
        Assert.Equal("Unverified", CardTitle(calls.Single(c => c.Op == "send").Activity));
    }

    internal static BotMessage Card(string title) => new()
    {
        Cards = [ProtocolJson.ToElement(new { type = "AdaptiveCard", version = "1.5", body = new[] { new { type = "TextBlock", text = title } } })],
    };

    private static string? CardTitle(Activity activity) =>
        activity.Attachments![0].Content!.Value.GetProperty("body")[0].GetProperty("text").GetString();

    internal static Task WaitForCopiesAsync(NoticesApp app, int count) => app.UntilAsync(async () =>
    {
        await using var db = await app.DbAsync();
        return await db.PostedCards.CountAsync() >= count;
    }, $"{count} posted card copies");

    private async Task<List<string>> SentActivityIdsAsync()
    {
        await using var db = await _app.DbAsync();
        return await db.PostedCards.Select(c => c.ActivityId).ToListAsync();
    }
}
