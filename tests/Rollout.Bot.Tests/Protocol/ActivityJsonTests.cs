using System.Text.Json;
using System.Text.Json.Nodes;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>Activity JSON keeps what it does not know (spec A2005) and leaves empty values out of what the bot sends.</summary>
public sealed class ActivityJsonTests
{
    private const string Inbound = """
        {
          "type": "message",
          "id": "1:abc",
          "channelId": "msteams",
          "serviceUrl": "https://smba.test/amer/",
          "from": { "id": "29:alice", "name": "Alice", "aadObjectId": "aad-1", "userPrincipalName": "alice@example.org" },
          "conversation": { "id": "19:x@thread.tacv2", "conversationType": "channel", "tenantId": "t1", "futureFlag": { "on": true } },
          "recipient": { "id": "28:bot" },
          "text": "hi",
          "channelData": { "tenant": { "id": "t1" } },
          "newTopLevelThing": [1, 2, 3],
          "anotherOne": "kept"
        }
        """;

    [Fact]
    public void RoundTrip_KeepsUnknownFields_AtTopLevelAndInFromAndConversation()
    {
        var activity = JsonSerializer.Deserialize<Activity>(Inbound, ProtocolJson.Options)!;

        var written = JsonNode.Parse(JsonSerializer.Serialize(activity, ProtocolJson.Options))!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Inbound), written), written.ToJsonString());
    }

    [Fact]
    public void Output_LeavesOutNullsEmptyStringsAndEmptyLists()
    {
        var reply = new Activity
        {
            Type = ActivityTypes.Message,
            Text = "",
            Locale = null,
            Attachments = [],
            MembersAdded = [],
            Conversation = new ConversationAccount { Id = "c1", Name = "" },
        };

        var written = JsonNode.Parse(JsonSerializer.Serialize(reply, ProtocolJson.Options))!.AsObject();

        Assert.Equal(["type", "conversation"], written.Select(p => p.Key));
        Assert.Equal(["id"], written["conversation"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Output_KeepsNonAsciiAndMarkupReadable_EscapingOnlyWhatJsonRequires()
    {
        var reply = new Activity { Type = ActivityTypes.Message, Text = "Zürich — `/accept 12` <b>'ok'</b> & \"done\"\n" };

        var json = JsonSerializer.Serialize(reply, ProtocolJson.Options);

        Assert.Contains("Zürich — `/accept 12` <b>'ok'</b> & \\\"done\\\"\\n", json);
        Assert.Equal(reply.Text, JsonSerializer.Deserialize<Activity>(json, ProtocolJson.Options)!.Text);
    }
}
