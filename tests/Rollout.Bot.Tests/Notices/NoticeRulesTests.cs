using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Notices;

public sealed class NoticeRulesTests
{
    [Theory]
    [InlineData("operations", null, "channel:operations")]
    [InlineData("Early-Adopters", "GLite", "channel:early-adopters/glite")]
    [InlineData("security", "arc", "channel:security")]
    public void ChannelRecipient_IsStoredInOneCanonicalSpelling(string purpose, string? stack, string stored)
    {
        var recipient = NoticeRecipient.Channel(purpose, stack);

        Assert.Equal(stored, recipient.ToString());
        Assert.Equal(recipient, NoticeRecipient.Parse(stored));
    }

    [Fact]
    public void UserRecipient_KeepsTeamsIdsWithColonsIntact()
    {
        var recipient = NoticeRecipient.Parse(NoticeRecipient.User("29:1a-b:c").ToString());

        Assert.True(recipient.IsUser);
        Assert.Equal("29:1a-b:c", recipient.Value);
    }

    [Theory]
    [InlineData("mailing-list", null)]
    [InlineData("early-adopters", null)]
    public void ChannelRecipient_RefusesUnknownPurposesAndMissingStacks(string purpose, string? stack) =>
        Assert.Throws<ArgumentException>(() => NoticeRecipient.Channel(purpose, stack));

    [Fact]
    public void RateLimiter_AllowsSevenInAnySecond_ThenFreesASlotWhenTheOldestLeavesTheWindow()
    {
        var clock = new ManualClock();
        var limiter = new ConversationRateLimiter(clock, 7);
        var start = clock.GetUtcNow();

        for (var i = 0; i < 7; i++)
        {
            Assert.True(limiter.TryTake("conv", out _));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.False(limiter.TryTake("conv", out var freeAt));
        Assert.True(limiter.TryTake("another conversation", out _));
        Assert.Equal(start + TimeSpan.FromSeconds(1), freeAt);

        clock.Advance(freeAt - clock.GetUtcNow());
        Assert.True(limiter.TryTake("conv", out _));
        Assert.False(limiter.TryTake("conv", out _));
    }

    [Fact]
    public void RateLimiter_WithAMargin_KeepsTheSlotUntilTheWindowAndTheMarginHavePassed()
    {
        var clock = new ManualClock();
        var limiter = new ConversationRateLimiter(clock, 1, TimeSpan.FromMilliseconds(100));
        var start = clock.GetUtcNow();
        Assert.True(limiter.TryTake("conv", out _));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(limiter.TryTake("conv", out var freeAt));
        Assert.Equal(start + TimeSpan.FromMilliseconds(1100), freeAt);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(limiter.TryTake("conv", out _));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(false, null, true)]
    [InlineData(true, null, false)]
    [InlineData(null, "personal", true)]
    [InlineData(false, "channel", false)]
    [InlineData(true, "groupChat", false)]
    public void PersonalConversation_IsToldByConversationTypeOrElseIsGroup(bool? isGroup, string? type, bool personal) =>
        Assert.Equal(personal, PersonalConversations.IsPersonal(new Activity
        {
            Conversation = new ConversationAccount { Id = "c", IsGroup = isGroup, ConversationType = type },
        }));

    [Theory]
    [InlineData(429, true)]
    [InlineData(412, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(413, false)]
    public void OnlyThrottlingAndServerErrorsAreRetried(int status, bool retried) =>
        Assert.Equal(retried, OutboxDispatcher.IsTransient(status));

    [Fact]
    public void ANoticeWithoutTextOrAttachments_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Outbox.Payload(new BotMessage()));
}
