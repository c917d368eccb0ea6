using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol.DirectLine;

public sealed class DirectLineAccessTests : IDisposable
{
    private readonly DirectLineApp _app = new();

    public void Dispose() => _app.Dispose();

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString()!;

    [Fact]
    public async Task MissingToken_Is401()
    {
        var client = await _app.Client().JoinAsync("alice");

        var response = await client.SendAsync(HttpMethod.Get, "/v3/directline/conversations/personal%3Aalice/activities", null, token: "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJjb252IjoicGVyc29uYWw6YWxpY2UifQ.c2lnbmF0dXJl")]
    public async Task ForgedToken_Is403(string token)
    {
        var client = await _app.Client().JoinAsync("alice");

        var response = await client.SendAsync(HttpMethod.Post, "/v3/directline/conversations/personal%3Aalice/activities",
            new { type = "message", text = "hi" }, token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task TamperedToken_Is403()
    {
        var client = await _app.Client().JoinAsync("alice");
        var tampered = client.Token[..^2] + (client.Token[^2] == 'A' ? "B" : "A") + client.Token[^1];

        var response = await client.SendAsync(HttpMethod.Get, "/v3/directline/conversations/personal%3Aalice/activities", null, tampered);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnotherUsersToken_CannotReadTheirConversation()
    {
        await _app.Client().JoinAsync("alice");
        var bob = await _app.Client().JoinAsync("bob");

        var response = await bob.SendAsync(HttpMethod.Get, "/v3/directline/conversations/personal%3Aalice/activities", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not 'personal:alice'", await ErrorMessageAsync(response));
    }

    [Fact]
    public async Task Refresh_GivesANewTokenForTheSameConversation()
    {
        var client = await _app.Client().JoinAsync("alice");

        var response = await client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", null);

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("personal:alice", body.GetProperty("conversationId").GetString());
        var refreshed = body.GetProperty("token").GetString()!;
        var read = await client.SendAsync(HttpMethod.Get, "/v3/directline/conversations/personal%3Aalice/activities", null, refreshed);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Theory]
    [InlineData("alice smith", null, "User id 'alice smith' is not valid")]
    [InlineData("alice", "ops/../x", "Room name 'ops/../x' is not valid")]
    public async Task Generate_WithBadNames_SaysWhatIsWrong(string userId, string? room, string message)
    {
        var response = await _app.Client().GenerateAsync(userId, room: room);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await ErrorMessageAsync(response));
    }

    [Fact]
    public async Task Generate_WithoutUser_MakesUpADlUser()
    {
        var client = _app.Client();

        (await client.GenerateAsync(null)).EnsureSuccessStatusCode();

        Assert.StartsWith("personal:dl_", client.ConversationId);
    }

    [Fact]
    public async Task TwoUsersInTheSameRoom_BothSeeEveryActivity()
    {
        var alice = await _app.Client().JoinAsync("alice", "Alice", room: "Release Train");
        var bob = await _app.Client().JoinAsync("bob", "Bob", room: "release train");
        await using var bobStream = await bob.StreamAsync();

        var id = await alice.SayAsync("staging is green");

        var seen = await bobStream.WaitForAsync(a => a.Id == id);
        Assert.Equal("room:release train", seen.Conversation!.Id);
        Assert.True(seen.Conversation.IsGroup);
        Assert.Equal("Release Train", seen.Conversation.Name);
        Assert.Equal("Alice", seen.From!.Name);
        await bobStream.WaitForAsync(a => a.ReplyToId == id); // the bot's answer reaches Bob too
        var members = await _app.BotClient().GetFromJsonAsync<JsonElement>("/v3/conversations/room%3Arelease%20train/members");
        Assert.Equal(["rollout-bot", "alice", "bob"], members.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task WithAMicrosoftAppId_TheLocalChannelIsOff()
    {
        using var registered = new DirectLineApp(settings: new()
        {
            ["MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001", ["MicrosoftAppPassword"] = "not-used-here",
        });

        var response = await registered.Client().GenerateAsync("alice");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void WithAMicrosoftAppId_TurningTheChannelOnWithoutAServiceUrl_StopsTheBotWithTheKeyNamed()
    {
        using var registered = new DirectLineApp(settings: new()
        {
            ["MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001", ["MicrosoftAppPassword"] = "not-used-here", ["DirectLine:Enabled"] = "true",
        });

        var error = Assert.Throws<InvalidOperationException>(() => registered.CreateClient());

        Assert.Contains("DirectLine:ServiceUrl must be set", error.Message);
    }

    [Fact]
    public async Task ConfiguredServiceUrl_IsWhereRepliesAreSent_WhateverTheHostHeader()
    {
        using var app = new DirectLineApp(settings: new() { ["DirectLine:ServiceUrl"] = "http://bot.example/" });

        var created = await app.BotClient().PostAsJsonAsync("/v3/conversations", new { isGroup = true, topicName = "ops" });

        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("http://bot.example", body.GetProperty("serviceUrl").GetString());
    }
}
