using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>Who people are on Teams, as the bot learns it from their own activities, and whom they @mention.</summary>
public sealed class TeamsPeopleTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Name_IsKeptFromTheirOwnMessage_WhenTheInstallEventNamedNobody()
    {
        var install = Teams("29:frank", null, "a:personal-frank", ActivityTypes.InstallationUpdate);
        install.Action = "add";
        (await _app.PostAsync(install)).EnsureSuccessStatusCode();
        Assert.Null((await RowAsync("29:frank")).UserName);

        (await _app.PostAsync(Teams("29:frank", "Frank Miller", "a:personal-frank", ActivityTypes.Message, "/whoami"))).EnsureSuccessStatusCode();

        Assert.Equal("Frank Miller", (await RowAsync("29:frank")).UserName);
        var people = await _app.Services.GetRequiredService<PersonalConversations>().PeopleAsync(["29:frank", "29:nobody"], CancellationToken.None);
        Assert.Equal([new Person("29:frank", "Frank Miller"), new Person("29:nobody")], people);
    }

    [Fact]
    public async Task NewName_SeenInAChannel_ReplacesTheKeptOne_ButNotTheirPersonalChat()
    {
        (await _app.PostAsync(Teams("29:gina", "Gina", "a:personal-gina", ActivityTypes.Message, "/whoami"))).EnsureSuccessStatusCode();
        var channel = Teams("29:gina", "Gina Rossi", "19:ea@thread.tacv2;messageid=7", ActivityTypes.Message, "<at>Rollout.Bot</at> /whoami");
        channel.Conversation!.IsGroup = true;
        channel.Conversation.ConversationType = "channel";
        (await _app.PostAsync(channel)).EnsureSuccessStatusCode();

        var row = await RowAsync("29:gina");
        Assert.Equal("Gina Rossi", row.UserName);
        Assert.Equal("a:personal-gina", row.ConversationId);
    }

    [Fact]
    public void Mentioned_NamesThePeopleMentioned_WithTheirTeamsIds_AndLeavesTheBotOut()
    {
        var message = Teams("29:hana", "Hana", "19:ea@thread.tacv2;messageid=8", ActivityTypes.Message,
            "<at>Rollout.Bot</at> /site admin name=Alpha user=<at>Megan Bowen</at>");
        message.Conversation!.IsGroup = true;
        message.Entities =
        [
            ProtocolJson.ToElement(new { type = "mention", text = "<at>Rollout.Bot</at>", mentioned = new { id = "28:bot", name = "Rollout.Bot" } }),
            ProtocolJson.ToElement(new { type = "mention", text = "<at>Megan Bowen</at>", mentioned = new { id = "29:megan", name = "Megan Bowen" } }),
            ProtocolJson.ToElement(new { type = "clientInfo", locale = "en-US" }),
        ];
        var turn = new TurnContext(message, _app.Services.GetRequiredService<OutboundQueue>());

        Assert.Equal([new Person("29:megan", "Megan Bowen")], turn.Mentioned);
    }

    private async Task<UserConversation> RowAsync(string userId)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        return await db.UserConversations.AsNoTracking().SingleAsync(u => u.UserId == userId);
    }

    private static Activity Teams(string userId, string? name, string conversationId, string type, string? text = null) => new()
    {
        Type = type, Id = Guid.NewGuid().ToString("N"), ChannelId = "msteams", ServiceUrl = BotApp.ServiceUrl,
        From = new ChannelAccount { Id = userId, Name = name },
        Recipient = new ChannelAccount { Id = "28:bot", Name = "Rollout.Bot" },
        Conversation = new ConversationAccount { Id = conversationId, ConversationType = "personal", TenantId = "tenant-1" },
        Text = text,
    };
}
