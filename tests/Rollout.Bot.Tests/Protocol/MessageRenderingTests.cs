using System.Text.Json;
using Rollout.Bot.Cards;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>How a BotMessage goes out on each channel (ProactiveDelivery onto a recording channel): mentions, cards, refresh.</summary>
public sealed class MessageRenderingTests
{
    private static readonly Person Megan = new("29:megan", "Megan Bowen");
    private static readonly Person Isaiah = new("29:isaiah", "Isaiah <Ops> & Co");

    [Fact]
    public async Task Mentions_InTeams_AreAtTagsWithMentionEntitiesNamingTheTeamsIds()
    {
        var sent = await DeliverAsync("msteams", new BotMessage
        {
            Text = $"{BotMessage.Mention(Megan.Id)}, #12 waits for your acceptance.", Mentions = [Megan, Isaiah],
        });

        Assert.Equal("<at>Megan Bowen</at>, #12 waits for your acceptance. <at>Isaiah &lt;Ops&gt; &amp; Co</at>", sent.Text);
        var entities = sent.Entities!.Select(e => (Text: e.GetProperty("text").GetString(), Id: e.GetProperty("mentioned").GetProperty("id").GetString())).ToList();
        Assert.Equal([("<at>Megan Bowen</at>", "29:megan"), ("<at>Isaiah &lt;Ops&gt; &amp; Co</at>", "29:isaiah")], entities);
        Assert.All(entities, e => Assert.Contains(e.Text!, sent.Text));
    }

    [Fact]
    public async Task Mentions_SurviveTheOutboxPayload()
    {
        var stored = new BotMessage { Text = $"Waiting for {BotMessage.Mention(Megan.Id)}.", Mentions = [Megan] }.ToJson();

        var sent = await DeliverAsync("msteams", BotMessage.FromJson(stored));

        Assert.Equal("Waiting for <at>Megan Bowen</at>.", sent.Text);
        Assert.Equal("29:megan", Assert.Single(sent.Entities!).GetProperty("mentioned").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Mentions_ElsewhereThanTeams_AreNamesInBold_WithNoEntities()
    {
        var sent = await DeliverAsync("directline", new BotMessage { Text = $"Waiting for {BotMessage.Mention(Megan.Id)}.", Mentions = [Megan] });

        Assert.Equal("Waiting for **@Megan Bowen**.", sent.Text);
        Assert.Null(sent.Entities);
    }

    [Fact]
    public async Task CardWithMentionedText_InTeams_CarriesTheMentionsInTheCard()
    {
        var card = new AdaptiveCard([new TextBlock("#12 cream 1.2.3")]).ToJson();
        var sent = await DeliverAsync("msteams", new BotMessage { Text = "Still waiting:", Cards = [card], Mentions = [Megan] });

        Assert.Null(sent.Text);
        Assert.Null(sent.Entities);
        var content = sent.Attachments![0].Content!.Value;
        Assert.Equal("Still waiting: <at>Megan Bowen</at>", content.GetProperty("body")[0].GetProperty("text").GetString());
        Assert.Equal("29:megan", content.GetProperty("msteams").GetProperty("entities")[0].GetProperty("mentioned").GetProperty("id").GetString());
        Assert.Equal("Still waiting: @Megan Bowen", sent.Summary);
    }

    [Fact]
    public async Task CardAlone_KeepsItsTextOnce_AndTheSummaryIsThePreview()
    {
        var card = new AdaptiveCard([new TextBlock("#12 cream 1.2.3: ready for staged rollout")]).ToJson();
        var sent = await DeliverAsync("msteams", BotMessage.WithCard("#12 cream 1.2.3: ready for staged rollout", card));

        Assert.Null(sent.Text);
        var body = sent.Attachments![0].Content!.Value.GetProperty("body");
        Assert.Equal(1, body.GetArrayLength());
        Assert.Equal("#12 cream 1.2.3: ready for staged rollout", sent.Summary);
    }

    [Fact]
    public void Refresh_ForUpToSixtyPeople_NamesThem()
    {
        var ids = Enumerable.Range(1, 60).Select(i => $"29:u{i}").ToList();
        var card = new AdaptiveCard([new TextBlock("x")]).WithRefresh("ticket.view", new Dictionary<string, string> { ["ticket"] = "12" }, ids).ToJson();

        var refresh = card.GetProperty("refresh");
        Assert.Equal(60, refresh.GetProperty("userIds").GetArrayLength());
        Assert.Equal("Action.Execute", refresh.GetProperty("action").GetProperty("type").GetString());
        Assert.Equal("ticket.view", refresh.GetProperty("action").GetProperty("verb").GetString());
        Assert.False(card.TryGetProperty("actions", out _));
    }

    [Fact]
    public void Refresh_ForMoreThanSixtyPeople_RefreshesNobodyAutomatically_AndOffersARefreshButton()
    {
        var ids = Enumerable.Range(1, 61).Select(i => $"29:u{i}").ToList();
        var card = new AdaptiveCard([new TextBlock("x")]).WithRefresh("ticket.view", new Dictionary<string, string> { ["ticket"] = "12" }, ids).ToJson();

        Assert.Equal(0, card.GetProperty("refresh").GetProperty("userIds").GetArrayLength());
        var button = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal("Refresh", button.GetProperty("title").GetString());
        Assert.Equal("ticket.view", button.GetProperty("verb").GetString());
        Assert.Equal("12", button.GetProperty("data").GetProperty("ticket").GetString());
    }

    [Fact]
    public async Task RefreshAndExecute_AreTeamsOnly_WebChatGetsSubmitButtonsWithTheVerb()
    {
        var card = new AdaptiveCard([new TextBlock("x")],
            [new ShowCardAction("Report", new AdaptiveCard([new TextInput("notes", "Notes")], [new ExecuteAction("Send report", "ticket.report",
                new Dictionary<string, string> { ["ticket"] = "12" })]))])
            .WithRefresh("ticket.view", new Dictionary<string, string>(), ["29:u1"]).ToJson();

        var sent = await DeliverAsync("directline", BotMessage.CardAlone(card, "x"));
        var content = sent.Attachments![0].Content!.Value;

        Assert.False(content.TryGetProperty("refresh", out _));
        var submit = content.GetProperty("actions")[0].GetProperty("card").GetProperty("actions")[0];
        Assert.Equal("Action.Submit", submit.GetProperty("type").GetString());
        Assert.Equal("ticket.report", submit.GetProperty("data").GetProperty("verb").GetString());
        Assert.Equal("12", submit.GetProperty("data").GetProperty("ticket").GetString());
        Assert.False(submit.TryGetProperty("fallback", out _));
    }

    [Fact]
    public async Task CreatePersonal_RefusedByTeams_SaysWhoCouldNotBeReached()
    {
        var delivery = new ProactiveDelivery(new RefusingConnector());
        var target = new DeliveryTarget(DeliveryMode.CreatePersonal, "msteams", BotApp.ServiceUrl, null, "tenant-1",
            new Person("28:bot", "Rollout.Bot"), Megan);

        var error = await Assert.ThrowsAsync<ConnectorException>(() => delivery.DeliverAsync(target, "hello", CancellationToken.None));

        Assert.Equal(403, error.StatusCode);
        Assert.StartsWith("Megan Bowen (29:megan) cannot be reached", error.Message);
    }

    [Fact]
    public async Task CreatePersonal_SendsIntoTheNewChat_AndReturnsTheActivityIdForLaterUpdates()
    {
        var connector = new FakeConnector();
        var delivery = new ProactiveDelivery(connector);
        var target = new DeliveryTarget(DeliveryMode.CreatePersonal, "msteams", BotApp.ServiceUrl, null, "tenant-1",
            new Person("28:bot", "Rollout.Bot"), Megan);

        var delivered = await delivery.DeliverAsync(target, "hello", CancellationToken.None);

        Assert.True(delivered.CreatedPersonal);
        var sent = Assert.Single(connector.Calls);
        Assert.Equal(delivered.ConversationId, sent.Activity.Conversation!.Id);
        Assert.False(string.IsNullOrEmpty(delivered.ActivityId));
    }

    private static async Task<Activity> DeliverAsync(string channelId, BotMessage message)
    {
        var connector = new FakeConnector();
        var delivery = new ProactiveDelivery(connector);
        await delivery.DeliverAsync(new DeliveryTarget(DeliveryMode.Send, channelId, BotApp.ServiceUrl, "conv-1", null,
            new Person("28:bot", "Rollout.Bot"), null), message, CancellationToken.None);
        return Assert.Single(connector.Calls).Activity;
    }

    private sealed class RefusingConnector : IConnector
    {
        public Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
            throw new InvalidOperationException("nothing may be sent when the chat could not be opened");
        public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
            throw new InvalidOperationException();
        public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
            throw new InvalidOperationException();
        public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken ct = default) =>
            throw new InvalidOperationException();
        public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken ct = default) =>
            throw new ConnectorException(403, "Forbidden", "The bot is not part of the conversation roster.");
    }
}
