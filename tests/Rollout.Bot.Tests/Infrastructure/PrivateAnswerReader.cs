using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>
/// What the bot answered someone privately after they spoke in a room (the room reads only a pointer): the latest
/// answer queued for their personal chat, read from the outbox whether or not it could be delivered yet.
/// </summary>
public static class PrivateAnswerReader
{
    public const string Pointer = "personal chat";

    public static async Task<BotMessage> LatestAsync(IServiceProvider services, string userId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var payload = await db.Notices.AsNoTracking()
            .Where(n => n.Recipient == "user:" + userId && n.DedupeKey.StartsWith("answer:"))
            .OrderByDescending(n => n.Id).Select(n => n.PayloadJson).FirstOrDefaultAsync();
        Assert.True(payload is not null, $"Nothing was answered privately to {userId}.");
        return BotMessage.FromJson(payload);
    }

    /// <summary>The room's reply when it is the pointer, else the reply itself.</summary>
    public static async Task<string> TextAsync(IServiceProvider services, string userId, string roomReply) =>
        roomReply.Contains(Pointer, StringComparison.Ordinal) ? (await LatestAsync(services, userId)).Text ?? "" : roomReply;
}
