using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>
/// Card messages as Teams and Web Chat get them, through <c>/api/messages</c>: the card alone with a summary, Universal
/// Actions for Teams and their Submit fallback elsewhere, and the <c>adaptiveCard/action</c> invoke answers.
/// </summary>
public sealed class TeamsCardsTests : IDisposable
{
    private const string CardVerb = "test.view";

    private readonly BotApp _app = new(new() { ["Roles:Coordinators:0"] = "29:coord" })
    {
        ExtraServices = services =>
        {
            // A feature whose button answers with the card as the clicker should now see it, registered the way
            // every feature registers its commands and card verbs.
            services.AddCommand(new CommandDefinition("test-view", "Everyone", ["/test-view"], "a card for the caller", Writes: false,
                session => Task.FromResult(new Reply("done") { UpdatedCard = Card("view for " + session.Caller.Name) })));
            services.AddCardVerb(new CardVerbDefinition(CardVerb, "test-view", []));
        },
    };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task CardReply_InTeams_IsTheCardAloneWithTheTextInsideAndAsSummary()
    {
        var reply = await ReplyToAsync(TeamsChannelMessage("<at>Rollout.Bot</at> /release new"));

        Assert.Null(reply.Text);
        var card = Assert.Single(reply.Attachments!).Content!.Value;
        var first = card.GetProperty("body")[0];
        Assert.Equal("TextBlock", first.GetProperty("type").GetString());
        Assert.StartsWith("Fill in the release", first.GetProperty("text").GetString());
        Assert.StartsWith("Fill in the release", reply.Summary);
        Assert.Equal(reply.Summary, card.GetProperty("fallbackText").GetString());
    }

    [Fact]
    public async Task CardReply_InTeams_UsesActionExecuteWithASubmitFallback()
    {
        var reply = await ReplyToAsync(TeamsChannelMessage("<at>Rollout.Bot</at> /release new"));

        var action = Assert.Single(reply.Attachments![0].Content!.Value.GetProperty("actions").EnumerateArray());
        Assert.Equal("Action.Execute", action.GetProperty("type").GetString());
        Assert.Equal("release.new", action.GetProperty("verb").GetString());
        var fallback = action.GetProperty("fallback");
        Assert.Equal("Action.Submit", fallback.GetProperty("type").GetString());
        Assert.Equal("release.new", fallback.GetProperty("data").GetProperty("verb").GetString());
    }

    [Fact]
    public async Task CardReply_ElsewhereThanTeams_GetsTheSubmitFallbackAndNoRefresh()
    {
        var reply = await ReplyToAsync(BotApp.Message("/release new", userId: "29:coord"));

        var json = reply.Attachments![0].Content!.Value.GetRawText();
        Assert.DoesNotContain("Action.Execute", json);
        var action = Assert.Single(reply.Attachments[0].Content!.Value.GetProperty("actions").EnumerateArray());
        Assert.Equal("Action.Submit", action.GetProperty("type").GetString());
        Assert.Equal("release.new", action.GetProperty("data").GetProperty("verb").GetString());
    }

    [Fact]
    public async Task ExecuteClick_AnsweredWithACard_GivesTheClickerTheCardInTheHttpResponse()
    {
        var body = await InvokeAsync(Invoke(CardVerb, trigger: "manual"));

        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body.GetProperty("type").GetString());
        Assert.Equal("view for Carla", body.GetProperty("value").GetProperty("body")[0].GetProperty("text").GetString());
        Assert.Equal("Action.Execute", body.GetProperty("value").GetProperty("actions")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task RefreshInvoke_IsAnsweredWithThatPersonsView_AndPostsNothing()
    {
        var refresh = Invoke(CardVerb, trigger: "automatic");
        Assert.True(CardClick.From(refresh)!.IsRefresh);
        Assert.False(CardClick.From(Invoke(CardVerb, trigger: "manual"))!.IsRefresh);

        var body = await InvokeAsync(refresh);

        Assert.Equal("view for Carla", body.GetProperty("value").GetProperty("body")[0].GetProperty("text").GetString());
        Assert.Empty(_app.Connector.Calls);
    }

    [Fact]
    public void InvokeRefusal_IsAnErrorBodyTheClickerAloneSees_OnHttp200()
    {
        var turn = new TurnContext(Invoke(CardVerb, trigger: "manual"), _app.Services.GetRequiredService<OutboundQueue>());

        turn.AnswerInvokeWithError(400, "NotYours", "Only Alpha's admins can accept for Alpha.");

        // HTTP 200 with the refusal in the body: Teams shows the message on the clicked card, to the clicker alone.
        Assert.Equal(200, turn.InvokeResponse!.Status);
        var body = ProtocolJson.ToElement(turn.InvokeResponse.Body);
        Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.error", body.GetProperty("type").GetString());
        Assert.Equal("Only Alpha's admins can accept for Alpha.", body.GetProperty("value").GetProperty("message").GetString());
        Assert.Throws<ArgumentOutOfRangeException>(() => turn.AnswerInvokeWithError(200, "Ok", "not an error"));
    }

    private async Task<Activity> ReplyToAsync(Activity message)
    {
        (await _app.PostAsync(message)).EnsureSuccessStatusCode();
        var calls = await _app.Connector.WaitForCallsAsync(1);
        return calls.First(c => c.Op == "reply").Activity;
    }

    private async Task<JsonElement> InvokeAsync(Activity invoke)
    {
        var response = await _app.PostAsync(invoke);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static JsonElement Card(string text) => ProtocolJson.ToElement(new
    {
        type = "AdaptiveCard", version = "1.5", body = new[] { new { type = "TextBlock", text } },
        actions = new[] { new { type = "Action.Execute", title = "Again", verb = CardVerb } },
    });

    internal static Activity TeamsChannelMessage(string text, string userId = "29:coord", string userName = "Carla") => new()
    {
        Type = ActivityTypes.Message, Id = Guid.NewGuid().ToString("N"), ChannelId = "msteams", ServiceUrl = BotApp.ServiceUrl,
        From = new ChannelAccount { Id = userId, Name = userName },
        Recipient = new ChannelAccount { Id = "28:bot", Name = "Rollout.Bot" },
        Conversation = new ConversationAccount
        {
            Id = "19:ea@thread.tacv2;messageid=1", IsGroup = true, ConversationType = "channel", TenantId = "tenant-1",
        },
        ChannelData = ProtocolJson.ToElement(new { tenant = new { id = "tenant-1" }, team = new { id = "19:team" }, channel = new { id = "19:ea@thread.tacv2" } }),
        Text = text,
        Entities = [ProtocolJson.ToElement(new { type = "mention", text = "<at>Rollout.Bot</at>", mentioned = new { id = "28:bot", name = "Rollout.Bot" } })],
    };

    private static Activity Invoke(string verb, string trigger)
    {
        var activity = TeamsChannelMessage("");
        activity.Type = ActivityTypes.Invoke;
        activity.Name = CardClick.ExecuteInvokeName;
        activity.Text = null;
        activity.Entities = null;
        activity.ReplyToId = "1";
        activity.Value = ProtocolJson.ToElement(new
        {
            action = new { type = "Action.Execute", verb, data = new { ticket = "1" } }, trigger,
        });
        return activity;
    }
}
