using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;

namespace Rollout.Bot.Tests.Notices;

public sealed class PersonalConversationTests : IDisposable
{
    private readonly ManualClock _clock = new();
    private readonly NoticesApp _app;

    public PersonalConversationTests() => _app = new NoticesApp(clock: _clock);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task APersonalConversation_IsStoredOnTheFirstTurn_AndRewrittenOnlyWhenItChanges()
    {
        await _app.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob");
        var first = await RowAsync("u-bob");
        _clock.Advance(TimeSpan.FromHours(1));

        await _app.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob");
        Assert.Equal(first.UpdatedAt, (await RowAsync("u-bob")).UpdatedAt);

        await _app.SayAsync("/help", userId: "u-bob", conversationId: "conv-bob-new");
        var moved = await RowAsync("u-bob");
        Assert.Equal("conv-bob-new", moved.ConversationId);
        Assert.Equal(first.UpdatedAt + TimeSpan.FromHours(1), moved.UpdatedAt);
    }

    [Fact]
    public async Task AGroupTurn_NeverReplacesAKnownPersonalConversation()
    {
        await _app.SayAsync("/help", userId: "29:bob", conversationId: "conv-bob", shape: a => a.ChannelId = "msteams");
        await _app.SayAsync("/help", userId: "29:bob", conversationId: "19:team@thread.tacv2", isGroup: true, shape: a => a.ChannelId = "msteams");

        Assert.Equal("conv-bob", (await RowAsync("29:bob")).ConversationId);
    }

    [Fact]
    public async Task InstallingTheBotForOneself_MakesThePersonReachableBeforeTheyWrite()
    {
        var install = Rollout.Bot.Tests.Infrastructure.BotApp.Message("", "29:frank", "Frank", "a:personal-frank");
        install.Type = "installationUpdate";
        install.Action = "add";
        install.ChannelId = "msteams";
        install.Text = null;
        install.Conversation!.ConversationType = "personal";
        await _app.PostAsync(install);

        await _app.AddAsync(("welcome", NoticeRecipient.User("29:frank"), "Welcome to the staged rollout"));

        var calls = await _app.Connector.WaitForAsync(c => c.Any(x => x.Op == "send"));
        Assert.Equal("a:personal-frank", calls.Single(c => c.Op == "send").ConversationId);
    }

    [Fact]
    public async Task SomeoneHeardOnlyInANonTeamsGroup_IsNotRemembered()
    {
        await _app.SayAsync("/help", userId: "u-eve", conversationId: "conv-group", isGroup: true);

        await using var db = await _app.DbAsync();
        Assert.False(await db.UserConversations.AnyAsync(u => u.UserId == "u-eve"));
    }

    private async Task<UserConversation> RowAsync(string userId)
    {
        await using var db = await _app.DbAsync();
        return await db.UserConversations.AsNoTracking().SingleAsync(u => u.UserId == userId);
    }
}
