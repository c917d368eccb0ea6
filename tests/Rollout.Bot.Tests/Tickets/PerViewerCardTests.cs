using System.Net.Http.Json;
using System.Text.Json;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Protocol;
using Rollout.Bot.Tickets;
using static Rollout.Bot.Tests.Tickets.NoticeCardWorld;
using FlakyConnectorCall = Rollout.Bot.Tests.Notices.FlakyConnector.Call;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// Issue 11, the per-viewer release card: in Teams the card everyone sees says where the release stands and offers
/// "My actions"; each person's own card (the answer to that button, and to Teams' refresh for the people who have
/// something to do) carries only what their sites can do. Web Chat keeps the one card with every button.
/// Through <c>/api/messages</c>, with a Teams channel bound as the glite early-adopters room.
/// </summary>
public sealed class PerViewerCardTests : IDisposable
{
    private const string TeamsRoom = "19:ea@thread.tacv2;messageid=1";
    private readonly NoticeCardWorld _world = new();

    public void Dispose() => _world.Dispose();

    private async Task<long> VerifiedInTeamsAsync(string extra = "")
    {
        await _world.CastAsync(bindRoom: false);
        var bind = TeamsCardsTests.TeamsChannelMessage("<at>Rollout.Bot</at> /channel bind early-adopters stack=glite", Coordinator, "Carla");
        await _world.App.PostAsync(bind);
        await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "reply" && x.ConversationId == TeamsRoom && (x.Activity.Text ?? "").Contains("glite")));
        return await _world.VerifiedAsync(extra);
    }

    [Fact]
    public async Task InATeamsChannel_TheNoticeIsTheSharedCard_WithMyActions_AndARefreshForTheAdminsWhoMayAct()
    {
        await VerifiedInTeamsAsync();

        var card = await TeamsCopyAsync("create");
        var json = card.GetRawText();
        Assert.DoesNotContain("ticket.accept", json);
        Assert.DoesNotContain("\"Not this time\"", json);
        var action = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal("My actions", action.GetProperty("title").GetString());
        Assert.Equal("Action.Execute", action.GetProperty("type").GetString());
        Assert.Equal(ReleaseNoticeCard.ViewVerb, action.GetProperty("verb").GetString());
        // Alpha is committed to cream and expected: its admin gets her own view by herself. Beta is not committed.
        Assert.Equal([Alice], card.GetProperty("refresh").GetProperty("userIds").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(ReleaseNoticeCard.ViewVerb, card.GetProperty("refresh").GetProperty("action").GetProperty("verb").GetString());
        Assert.Contains("Alpha: expected, accept by", json);
    }

    [Fact]
    public async Task MyActions_AnswersEachClickerWithTheirOwnCard_AndNoAcceptOnceTheirSiteTookPart()
    {
        var n = await VerifiedInTeamsAsync();
        var data = new { ticket = n.ToString() };

        var alice = Card(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, data));
        Assert.Equal(["Accept", "Not this time"], Titles(alice));
        Assert.Contains("For Alpha: accept it, or say not this time.", alice.GetRawText());

        Assert.Contains("Alpha accepted", (await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.AcceptVerb, data)).GetProperty("value").GetString());
        var after = Card(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, data));
        Assert.Equal(["Report"], Titles(after));
        Assert.Contains("For Alpha: report how it went.", after.GetRawText());

        // Bob's Beta is not committed, but any site may join an unrestricted release; Eve administers no site.
        Assert.Equal(["Accept", "Not this time"], Titles(Card(await ExecuteInTeamsAsync(Bob, ReleaseNoticeCard.ViewVerb, data))));
        var eve = Card(await ExecuteInTeamsAsync(Eve, ReleaseNoticeCard.ViewVerb, data));
        Assert.Empty(Titles(eve));
        Assert.Contains("You administer no site that can take this release", eve.GetRawText());
    }

    [Fact]
    public async Task OnceEverySiteReported_OnlyACoordinatorsOwnCardOffersClose_AndItsFormClosesTheTicket()
    {
        var n = await VerifiedInTeamsAsync();
        var data = new { ticket = n.ToString() };
        await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.AcceptVerb, data);
        Assert.DoesNotContain("Close", Titles(Card(await ExecuteInTeamsAsync(Coordinator, ReleaseNoticeCard.ViewVerb, data))));
        await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ReportVerb, new { ticket = n.ToString(), outcome = "success", notes = "ran fine on two CEs" });

        var coordinator = Card(await ExecuteInTeamsAsync(Coordinator, ReleaseNoticeCard.ViewVerb, data));
        Assert.Contains("Close", Titles(coordinator));
        Assert.Contains("as a coordinator, close the staged rollout", coordinator.GetRawText());
        Assert.DoesNotContain("Close", Titles(Card(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, data))));
        // A forged Close from a site admin is refused by the command itself, whatever the card offered.
        Refusal(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.CloseVerb, new { ticket = n.ToString(), outcome = "success", summary = "mine" }));
        Assert.Equal("RollingOut", await StateAsync(n));

        var closed = await ExecuteInTeamsAsync(Coordinator, ReleaseNoticeCard.CloseVerb, new { ticket = n.ToString(), outcome = "success", summary = "Fine at Alpha." });

        Assert.Contains("is closed: success", closed.GetProperty("value").GetString());
        Assert.Equal("Closed", await StateAsync(n));
        var card = await TeamsCopyAsync("update", "staged rollout closed, released");
        Assert.False(card.TryGetProperty("actions", out _));
        Assert.False(card.TryGetProperty("refresh", out _));
    }

    private async Task<string> StateAsync(long n) => (await _world.TicketAsync(n)).State;

    [Fact]
    public async Task TeamsRefresh_IsAnsweredWithThatPersonsView_AndChangesAndPostsNothing()
    {
        var n = await VerifiedInTeamsAsync();
        await TeamsCopyAsync("create");
        var before = _world.App.Connector.Calls.Count;

        var view = Card(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }, trigger: "automatic"));

        Assert.Equal(["Accept", "Not this time"], Titles(view));
        // The viewer's card keeps the refresh, so Teams asks again as the release moves on.
        Assert.Equal(ReleaseNoticeCard.ViewVerb, view.GetProperty("refresh").GetProperty("action").GetProperty("verb").GetString());
        Assert.Equal(("Verified", 0, 0), await _world.TicketAsync(n));
        // Nothing said in the room, its threads or Alice's chat (other notices of the verify may still be going out).
        Assert.DoesNotContain(_world.App.Connector.Calls.Skip(before), c => c.ConversationId.StartsWith("19:", StringComparison.Ordinal)
            || c.ConversationId.StartsWith("created-", StringComparison.Ordinal) || c.ConversationId == "conv-" + Alice || c.Op == "update");
    }

    [Fact]
    public async Task AfterAnAccept_TheTeamsCopyIsUpdatedAsTheSharedCard_AndItsRefreshFollowsWhoHasAnOpenPart()
    {
        var n = await VerifiedInTeamsAsync();
        await TeamsCopyAsync("create");

        await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.AcceptVerb, new { ticket = n.ToString() });

        var card = await TeamsCopyAsync("update");
        Assert.DoesNotContain("ticket.accept", card.GetRawText());
        Assert.Contains("Alpha: taking part, report due", card.GetRawText());
        Assert.Equal([Alice], card.GetProperty("refresh").GetProperty("userIds").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task ACopyOfTheCardTheBotLostInACrash_IsTrackedOnceTeamsRefreshesIt_AndUpdatedWithTheOthersFromThen()
    {
        var n = await VerifiedInTeamsAsync();
        await TeamsCopyAsync("create");
        var tracked = await TrackedCopiesAsync();
        var room = Assert.Single(tracked).ConversationId;
        // The channel took a second copy whose answer the bot never read (killed mid-send): it is in the room, unknown.
        const string lost = "act-lost-in-crash";

        var view = Card(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }, "automatic", room, lost));
        Assert.Equal(["Accept", "Not this time"], Titles(view));
        Assert.Equal([tracked[0].ActivityId, lost], (await CopiesAsync()).Select(c => c.ActivityId));
        // Seen again, it is not tracked twice.
        await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }, "automatic", room, lost);
        Assert.Equal(2, (await CopiesAsync()).Count);

        await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.AcceptVerb, new { ticket = n.ToString() });

        var updates = await _world.App.Connector.WaitForAsync(c => c.Count(x => x.Op == "update" && x.ConversationId == room) >= 2);
        var updated = updates.Where(x => x.Op == "update" && x.ConversationId == room).Select(x => x.Activity.Id).ToHashSet();
        Assert.Contains(lost, updated);
        Assert.Contains(tracked[0].ActivityId, updated);
    }

    [Fact]
    public async Task AForgedRefreshNamingAMessageWhereTheCardNeverWent_TracksNothing_AndNothingIsUpdatedThere()
    {
        var n = await VerifiedInTeamsAsync();
        await TeamsCopyAsync("create");
        var before = await TrackedCopiesAsync();

        // Bob's own chat never received this card, whatever the click says.
        await ExecuteInTeamsAsync(Bob, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }, "automatic", "conv-" + Bob, "act-his");
        await ExecuteInTeamsAsync(Bob, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }, "manual", "19:other@thread.tacv2;messageid=7", "7");

        Assert.Equal(before.Select(c => c.Id), (await CopiesAsync()).Select(c => c.Id));
        await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.AcceptVerb, new { ticket = n.ToString() });
        await TeamsCopyAsync("update");
        Assert.DoesNotContain(_world.App.Connector.Calls, c => c.Op == "update" && (c.Activity.Id is "act-his" or "7"));
    }

    /// <summary>The copies once the one posted is recorded (the channel sees the send before the bot writes its answer).</summary>
    private async Task<List<Rollout.Bot.Notices.PostedCard>> TrackedCopiesAsync()
    {
        await Rollout.Bot.Tests.Notices.CardUpdateTests.WaitForCopiesAsync(_world.App, 1);
        return await CopiesAsync();
    }

    private async Task<List<Rollout.Bot.Notices.PostedCard>> CopiesAsync()
    {
        await using var db = await _world.App.DbAsync();
        return db.PostedCards.AsEnumerable().OrderBy(c => c.Id).ToList();
    }

    [Fact]
    public async Task RestrictedRelease_MyActionsFromSomeoneNotEntitled_IsNoSuchTicket_AndNamesNothing()
    {
        var n = await VerifiedInTeamsAsync("security=https://sec.example.org/advisory/1");

        var refusal = Refusal(await ExecuteInTeamsAsync(Bob, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }));

        Assert.Contains($"#{n}", refusal);
        Assert.DoesNotContain("cream", refusal);
        Assert.DoesNotContain("1.2.3", refusal);
        // Alice's site is committed: she may see it and act on it.
        Assert.Equal(["Accept", "Not this time"], Titles(Card(await ExecuteInTeamsAsync(Alice, ReleaseNoticeCard.ViewVerb, new { ticket = n.ToString() }))));
    }

    [Fact]
    public async Task InWebChat_TheCardCommandShowsTheCallersOwnCard_AndTheRoomCardKeepsEveryButton()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == Room));
        var room = calls.First(x => x.Op == "send" && x.ConversationId == Room).Activity.Attachments![0].Content!.Value.GetRawText();
        Assert.Contains("ticket.accept", room);
        Assert.DoesNotContain("refresh", room);

        await _world.App.PostAsync(BotApp.Message($"/card #{n}", Eve, "Eve", "conv-" + Eve));
        var answer = (await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "reply" && x.ConversationId == "conv-" + Eve)))
            .First(x => x.Op == "reply" && x.ConversationId == "conv-" + Eve).Activity;
        var card = answer.Attachments![0].Content!.Value;
        Assert.Contains("You administer no site", card.GetRawText());
        Assert.False(card.TryGetProperty("actions", out _));
        Assert.Contains("#999", await _world.App.SayAsync("/card #999", Eve, "conv-" + Eve));
    }

    /// <summary>
    /// The last release card that reached Teams by <paramref name="op"/>: "create" (a channel notice is a new thread) or
    /// "update" (in place); the room bound through Teams is the only Teams conversation here.
    /// </summary>
    private async Task<JsonElement> TeamsCopyAsync(string op, string mark = ReleaseNoticeCard.ViewVerb)
    {
        bool Match(FlakyConnectorCall x) => x.Op == op && x.Activity.Attachments is { Count: > 0 } a
            && a[0].Content!.Value.GetRawText().Contains(mark, StringComparison.Ordinal);
        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(Match));
        return calls.Last(Match).Activity.Attachments![0].Content!.Value;
    }

    private async Task<JsonElement> ExecuteInTeamsAsync(string userId, string verb, object data, string trigger = "manual",
        string? conversationId = null, string replyToId = "1")
    {
        var click = TeamsCardsTests.TeamsChannelMessage("", userId, userId);
        if (conversationId is not null) click.Conversation!.Id = conversationId;
        click.Type = ActivityTypes.Invoke;
        click.Name = CardClick.ExecuteInvokeName;
        click.Text = null;
        click.Entities = null;
        click.ReplyToId = replyToId;
        click.Value = ProtocolJson.ToElement(new { action = new { type = "Action.Execute", verb, data }, trigger });
        var response = await _world.App.Factory.CreateClient().PostAsync("/api/messages", JsonContent.Create(click, options: ProtocolJson.Options));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Card(JsonElement invokeAnswer)
    {
        Assert.Equal(200, invokeAnswer.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.card.adaptive", invokeAnswer.GetProperty("type").GetString());
        return invokeAnswer.GetProperty("value");
    }

    private static List<string> Titles(JsonElement card) => card.TryGetProperty("actions", out var actions)
        ? actions.EnumerateArray().Select(a => a.GetProperty("title").GetString()!).ToList() : [];
}
