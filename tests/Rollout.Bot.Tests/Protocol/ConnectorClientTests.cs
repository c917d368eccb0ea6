using System.Net;
using System.Text.Json;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>Each Connector operation against a fake channel: method, path (Teams ids escaped, base path kept), body.</summary>
public sealed class ConnectorClientTests : IAsyncLifetime
{
    private const string TeamsConversation = "19:abc@thread.tacv2;messageid=1";
    private const string EscapedConversation = "19%3Aabc%40thread.tacv2%3Bmessageid%3D1";
    private ConnectorHarness _h = null!;

    public async Task InitializeAsync() => _h = await ConnectorHarness.StartAsync(appId: null);
    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Send_PostsToTheConversationsActivities_WithoutAnActivityId()
    {
        var activity = ConnectorHarness.Message(conversationId: TeamsConversation);
        activity.Id = "should-not-be-sent";

        var response = await _h.Connector.SendToConversationAsync(ConnectorHarness.TeamsServiceUrl, activity);

        var request = Assert.Single(_h.Channel.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities", request.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("hello", body.RootElement.GetProperty("text").GetString());
        Assert.False(body.RootElement.TryGetProperty("id", out _));
        Assert.Equal("act-1", response.Id);
    }

    [Fact]
    public async Task Reply_PostsToTheRepliedActivity_AndNamesTheConversationInAHeader()
    {
        var activity = ConnectorHarness.Message(conversationId: TeamsConversation);
        activity.ReplyToId = "1:root/42";

        await _h.Connector.ReplyToActivityAsync(ConnectorHarness.TeamsServiceUrl, activity);

        var request = Assert.Single(_h.Channel.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities/1%3Aroot%2F42", request.Uri.AbsolutePath);
        Assert.Equal(TeamsConversation, request.Headers["x-ms-conversation-id"]);
        Assert.Contains("\"replyToId\":\"1:root/42\"", request.Body);
    }

    [Fact]
    public async Task Update_PutsTheWholeActivityAtItsId()
    {
        var activity = ConnectorHarness.Message(conversationId: TeamsConversation);
        activity.Id = "1:card";
        activity.Text = "updated";

        await _h.Connector.UpdateActivityAsync(ConnectorHarness.TeamsServiceUrl, activity);

        var request = Assert.Single(_h.Channel.Requests);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities/1%3Acard", request.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("1:card", body.RootElement.GetProperty("id").GetString());
        Assert.Equal("updated", body.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Delete_SendsDeleteForTheActivity_WithoutABody()
    {
        _h.Channel.Then(HttpStatusCode.OK);

        await _h.Connector.DeleteActivityAsync(ConnectorHarness.TeamsServiceUrl, TeamsConversation, "1:card");

        var request = Assert.Single(_h.Channel.Requests);
        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal($"/amer/v3/conversations/{EscapedConversation}/activities/1%3Acard", request.Uri.AbsolutePath);
        Assert.Equal("", request.Body);
    }

    [Fact]
    public async Task CreateConversation_PostsTheParameters_AndReturnsTheNewIds()
    {
        _h.Channel.Then(HttpStatusCode.Created, """{"id":"19:new@thread.tacv2;messageid=9","activityId":"9"}""");
        var parameters = new ConversationParameters
        {
            IsGroup = true,
            TenantId = "tenant-1",
            ChannelData = JsonSerializer.SerializeToElement(new { channel = new { id = "19:chan@thread.tacv2" } }),
            Activity = new Activity { Type = ActivityTypes.Message, Text = "New rollout" },
        };

        var created = await _h.Connector.CreateConversationAsync("https://smba.test/amer", parameters);

        var request = Assert.Single(_h.Channel.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/amer/v3/conversations", request.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(request.Body);
        Assert.True(body.RootElement.GetProperty("isGroup").GetBoolean());
        Assert.Equal("19:chan@thread.tacv2", body.RootElement.GetProperty("channelData").GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal("New rollout", body.RootElement.GetProperty("activity").GetProperty("text").GetString());
        Assert.Equal("19:new@thread.tacv2;messageid=9", created.Id);
        Assert.Equal("9", created.ActivityId);
    }
}
