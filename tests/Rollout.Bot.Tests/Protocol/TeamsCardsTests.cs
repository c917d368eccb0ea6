using System.Net.Http.Json;
using System.Text.Json;
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
    private const string CardVerb = "test.card";
    private const string RefuseVerb = "test.refuse";

    private readonly BotApp _app = new(new() { ["Roles:Coordinators:0"] = "29:coord" })
    {
        ExtraServices = services =>
        {
            // Verbs of a feature that answers clicks in the invoke, registered the way every feature registers its own.
            services.AddCardVerb(new CardVerbDefinition(CardVerb, click =>
            {
                var who = click.Click.IsRefresh ? "refreshed for " : "clicked by ";
                click.Turn.AnswerInvokeWithCard(Card(who + click.Turn.UserName));
                return Task.CompletedTask;
            }));
            services.AddCardVerb(new CardVerbDefinition(RefuseVerb, click =>
            {
                click.Turn.AnswerInvokeWithError(400, "NotYours", "Only Alpha's admins can accept for Alpha.");
                return Task.CompletedTask;
            }));
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
        Assert.Equal("clicked by Carla", body.GetProperty("value").GetProperty("body")[0].GetProperty("text").GetString());
        Assert.Equal("Action.Execute", body.GetProperty("value").GetProperty("actions")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task RefreshInvoke_IsTold_AndAnsweredWithThatPersonsView()
    {
        var body = await InvokeAsync(Invoke(CardVerb, trigger: "automatic"));

        Assert.Equal("refreshed for Carla", body.GetProperty("value").GetProperty("body")[0].GetProperty("text").GetString());
        Assert.Empty(_app.Connector.Calls);
    }

    [Fact]
    public async Task ExecuteClick_Refused_IsAnErrorForTheClickerOnly()
    {
        var response = await _app.PostAsync(Invoke(RefuseVerb, trigger: "manual"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        // HTTP 200 with the refusal in the body: Teams shows the message on the clicked card, to the clicker alone.
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.error", body.GetProperty("type").GetString());
        Assert.Equal("Only Alpha's admins can accept for Alpha.", body.GetProperty("value").GetProperty("message").GetString());
        Assert.Empty(_app.Connector.Calls);
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
