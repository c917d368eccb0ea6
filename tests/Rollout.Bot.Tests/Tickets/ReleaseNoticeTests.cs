using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol.Schema;
using static Rollout.Bot.Tests.Tickets.NoticeCardWorld;

namespace Rollout.Bot.Tests.Tickets;

public sealed class ReleaseNoticeTests : IDisposable
{
    private readonly NoticeCardWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Verify_PostsExactlyOneNoticeCardToTheStacksEarlyAdoptersRoom()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();

        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == Room));
        var card = calls.Single(x => x.Op == "send" && x.ConversationId == Room).Activity.Attachments!.Single();
        Assert.Equal("application/vnd.microsoft.card.adaptive", card.ContentType);
        var json = card.Content!.Value.GetRawText();
        Assert.Contains("ticket.accept", json);
        Assert.Contains($"https://repo.example.org/sr/{n}", json);
        Assert.Contains("{{DATE(", json);
        Assert.True(json.Length < 28_000, "Teams refuses cards over 28 KB");
        await using var db = await _world.App.DbAsync();
        Assert.Equal(["channel:early-adopters/glite"],
            await db.Notices.Where(x => x.CardKey == $"ticket:{n}").Select(x => x.Recipient).ToListAsync());
    }

    [Fact]
    public async Task RestrictedVerify_GoesOnlyToAdminsOfCommittedSites()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync("security=https://sec.example.org/advisory/1");

        await using var db = await _world.App.DbAsync();
        var notices = await db.Notices.Where(x => x.DedupeKey.StartsWith($"ticket:{n}:")).Select(x => new { x.Recipient, x.PayloadJson }).ToListAsync();
        var recipients = notices.Select(x => x.Recipient).ToList();
        Assert.Contains($"user:{Alice}", recipients);
        Assert.DoesNotContain(recipients, r => r.StartsWith("channel:early-adopters") || r == $"user:{Bob}");
        // The coordinators' room hears it is verified by number only; the security group's room in full.
        Assert.All(notices.Where(x => x.Recipient == "channel:operations"), x => Assert.DoesNotContain("cream", x.PayloadJson));
        Assert.Contains(notices, x => x.Recipient == "channel:security" && x.PayloadJson.Contains("cream 1.2.3"));
    }

    [Fact]
    public async Task AcceptBySubmit_AcceptsAndUpdatesThePostedCardInPlace()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        var copy = (await _world.CopiesAsync(n, 1)).Single();

        var reply = await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString() });

        Assert.Contains("Alpha accepted", reply);
        Assert.Equal(("RollingOut", 1, 0), await _world.TicketAsync(n));
        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "update"));
        var update = calls.Single(x => x.Op == "update");
        Assert.Equal(copy.ActivityId, update.Activity.Id);
        var json = update.Activity.Attachments!.Single().Content!.Value.GetRawText();
        Assert.Contains("Alpha: taking part, report due ", json);
        Assert.Contains("ticket.report", json);
    }

    [Fact]
    public async Task AcceptByExecute_AnswersInTheInvokeResponse()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();

        var body = await _world.ExecuteAsync(Alice, "ticket.accept", new { ticket = n.ToString() });

        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal(InvokeResponses.MessageContentType, body.GetProperty("type").GetString());
        Assert.Contains("Alpha accepted", body.GetProperty("value").GetString());
        Assert.Equal(("RollingOut", 1, 0), await _world.TicketAsync(n));
    }

    [Fact]
    public async Task ReportBySubmitAndExecute_RecordsTheSitesReportAndDropsTheButtons()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString() });
        await _world.ExecuteAsync(Bob, "ticket.accept", new { ticket = n.ToString() });
        await _world.CopiesAsync(n, 1);

        var reply = await _world.SubmitAsync(Alice, new { verb = "ticket.report", ticket = n.ToString(), outcome = "success", hours = "2.5", bugs = "", notes = "installed on two CEs" });
        var body = await _world.ExecuteAsync(Bob, "ticket.report", new { ticket = n.ToString(), outcome = "warning", notes = "one CE needed a restart" });

        Assert.Contains("recorded: success", reply);
        Assert.Contains("recorded: warning", body.GetProperty("value").GetString());
        Assert.Equal(("RollingOut", 2, 2), await _world.TicketAsync(n));
        await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "update"
            && x.Activity.Attachments![0].Content!.Value.GetRawText() is var j && j.Contains("Beta: done: works, with warnings") && !j.Contains("ticket.report")));
    }

    [Fact]
    public async Task AdminOfSeveralSites_ClickingAccept_GetsOneButtonPerSite_AndThePickedSiteAccepts()
    {
        await _world.CastAsync();
        await _world.SiteAsync("Gamma", Alice, "cream");
        var n = await _world.VerifiedAsync();

        var ask = await _world.SubmitForReplyAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString() });

        // One message, the card alone: the explanation is the card's first line and the notification summary.
        Assert.Null(ask.Text);
        Assert.Contains("several sites (Alpha, Gamma)", ask.Summary);
        Assert.Contains("several sites (Alpha, Gamma)", ask.Attachments![0].Content!.Value.GetProperty("body")[0].GetProperty("text").GetString());
        var buttons = Buttons(ask);
        Assert.Equal(["Alpha", "Gamma"], buttons.Select(b => b.Title));
        Assert.All(buttons, b => Assert.Equal("ticket.accept", b.Data.GetProperty("verb").GetString()));
        Assert.Equal(("Verified", 0, 0), await _world.TicketAsync(n));

        var gamma = buttons.Single(b => b.Title == "Gamma").Data;
        Assert.Contains("Gamma accepted", await _world.SubmitAsync(Alice, gamma));
        Assert.Equal(("RollingOut", 1, 0), await _world.TicketAsync(n));
        // The buttons are client data: a site that is not the clicker's is refused like a typed one.
        Assert.Contains("'Beta' is not one of Alpha, Gamma",
            await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString(), site = "Beta" }));
        Assert.Equal(("RollingOut", 1, 0), await _world.TicketAsync(n));
    }

    [Fact]
    public async Task AdminOfSeveralSites_ReportingFromTheCard_PicksTheSite_AndKeepsWhatTheyTyped()
    {
        await _world.CastAsync();
        await _world.SiteAsync("Gamma", Alice, "cream");
        var n = await _world.VerifiedAsync();
        await _world.App.SayAsync($"/accept #{n} site=Alpha", Alice, "conv-" + Alice);
        await _world.App.SayAsync($"/accept #{n} site=Gamma", Alice, "conv-" + Alice);

        var body = await _world.ExecuteAsync(Alice, "ticket.report", new { ticket = n.ToString(), outcome = "warning", notes = "restarted one CE" });

        Assert.Contains("several sites (Alpha, Gamma)", body.GetProperty("value").GetString());
        // The choice is Alice's alone: it goes to her personal chat, not to the room.
        var ask = (await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == "conv-" + Alice
            && x.Activity.Attachments is { Count: > 0 } a && a[0].Content!.Value.GetRawText().Contains("which of your sites"))))
            .Last(x => x.Op == "send" && x.ConversationId == "conv-" + Alice).Activity;
        var alpha = Buttons(ask).Single(b => b.Title == "Alpha").Data;
        Assert.Equal("warning", alpha.GetProperty("outcome").GetString());
        Assert.Equal("restarted one CE", alpha.GetProperty("notes").GetString());
        Assert.Equal(("RollingOut", 2, 0), await _world.TicketAsync(n));

        Assert.Contains("recorded: warning", await _world.SubmitAsync(Alice, alpha));
        await using var db = await _world.App.DbAsync();
        var parts = await db.Participations.AsNoTracking().Where(p => p.TicketId == n).OrderBy(p => p.SiteName).ToListAsync();
        Assert.Equal([("Alpha", true), ("Gamma", false)], parts.Select(p => (p.SiteName, p.DoneAt is not null)));
    }

    /// <summary>The Action.Submit buttons of the answer's card: title and the data they would post.</summary>
    private static List<(string Title, JsonElement Data)> Buttons(Activity answer)
    {
        var card = Assert.Single(answer.Attachments!).Content!.Value;
        return card.GetProperty("actions").EnumerateArray()
            .Where(a => a.GetProperty("type").GetString() == "Action.Submit")
            .Select(a => (a.GetProperty("title").GetString()!, a.GetProperty("data").Clone())).ToList();
    }

    [Fact]
    public async Task ForgedOrStaleClicks_AreRefusedAndChangeNothing()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        var unverified = await _world.App.SayAsync($"/release new component=cream version=9.9 stack=glite type=minor {TicketWorld.Links}", Provider, "conv-" + Provider);
        var other = n + 1;
        Assert.Contains($"#{other}", unverified);

        Assert.Contains("Only site admins", await _world.SubmitAsync(Eve, new { verb = "ticket.accept", ticket = n.ToString() }));
        Assert.Contains("'Beta' is not one of", await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString(), site = "Beta" }));
        Assert.Contains($"#{other}", await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = other.ToString() }));
        Assert.Contains("open part", await _world.SubmitAsync(Alice, new { verb = "ticket.report", ticket = n.ToString(), outcome = "success", notes = "x" }));
        Assert.Contains("is not a ticket number", await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = "#1; drop" }));
        Assert.Equal(("Verified", 0, 0), await _world.TicketAsync(n));
        Assert.Equal(("Certified", 0, 0), await _world.TicketAsync(other));

        await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString() });
        var again = await _world.ExecuteAsync(Alice, "ticket.accept", new { ticket = n.ToString() });
        Assert.Contains("already took part", NoticeCardWorld.Refusal(again));
        Assert.Equal(("RollingOut", 1, 0), await _world.TicketAsync(n));
    }

    [Fact]
    public async Task RefusedExecuteClicks_AreAnsweredWithTeamsErrorForm_SayingWhatWasWrongAndWhatToDo()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        await _world.ExecuteAsync(Alice, "ticket.accept", new { ticket = n.ToString() });

        var second = await _world.ExecuteAsync(Alice, "ticket.accept", new { ticket = n.ToString() });
        var noRight = await _world.ExecuteAsync(Eve, "ticket.accept", new { ticket = n.ToString() });
        var unknown = await _world.ExecuteAsync(Alice, "ticket.no-such-button", new { ticket = n.ToString() });

        Assert.Matches(@"Alpha already took part in #\d+: accepted \(accepted by .+ on ", NoticeCardWorld.Refusal(second));
        Assert.Contains("when done, report with Report on the card or `/report #", NoticeCardWorld.Refusal(second));
        Assert.Contains("Only site admins of early-adopter sites can", NoticeCardWorld.Refusal(noRight));
        Assert.Contains("`/role grant`", NoticeCardWorld.Refusal(noRight));
        Assert.Contains("not one I know any more", NoticeCardWorld.Refusal(unknown, "UnknownButton"));
        Assert.Equal(("RollingOut", 1, 0), await _world.TicketAsync(n));
        // Said to the clicker alone, in the invoke answer: no copy waits in the outbox for anyone's chat or the room.
        await using var db = await _world.App.DbAsync();
        Assert.False(await db.Notices.AnyAsync(x => x.PayloadJson.Contains("already took part") || x.PayloadJson.Contains("Only site admins")));
    }

    [Fact]
    public async Task StateChanges_ReachTheProviderAndAcceptedSitesDirectly_AndCloseIsAnnounced()
    {
        await _world.CastAsync();
        await _world.App.SayAsync("/channel bind broadcast", Coordinator, "conv-bc", isGroup: true);
        var n = await _world.VerifiedAsync();
        await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString() });
        await _world.SubmitAsync(Alice, new { verb = "ticket.report", ticket = n.ToString(), outcome = "success", notes = "fine" });
        Assert.Contains("closed", await _world.App.SayAsync($"/close #{n} outcome=success summary=\"all good\"", Coordinator));
        Assert.False(await AnnouncedAsync(n)); // the packages are not in production yet
        Assert.Contains("broadcast to every site is on its way",
            await _world.App.SayAsync($"/production #{n} repo=https://repo.example.org/prod/glite", TechUnit, "conv-" + TechUnit));

        await using var db = await _world.App.DbAsync();
        var notices = await db.Notices.Where(x => x.DedupeKey.StartsWith($"ticket:{n}:")).Select(x => new { x.DedupeKey, x.Recipient }).ToListAsync();
        Assert.Contains(notices, x => x.Recipient == $"user:{Provider}" && x.DedupeKey == $"ticket:{n}:state-moved:verified");
        Assert.Contains(notices, x => x.Recipient == $"user:{Alice}" && x.DedupeKey == $"ticket:{n}:state-moved:closed");
        Assert.DoesNotContain(notices, x => x.Recipient == $"user:{Bob}");
        Assert.Contains(notices, x => x.Recipient == "channel:broadcast" && x.DedupeKey == $"ticket:{n}:production");
    }

    [Fact]
    public async Task RestrictedRelease_IsAnnouncedOnlyOnceACoordinatorDisclosesIt()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync("security=https://sec.example.org/advisory/1");
        await _world.SubmitAsync(Alice, new { verb = "ticket.accept", ticket = n.ToString() }, "conv-" + Alice);
        await _world.SubmitAsync(Alice, new { verb = "ticket.report", ticket = n.ToString(), outcome = "success", notes = "fine" }, "conv-" + Alice);
        Assert.Contains("closed", await _world.App.SayAsync($"/close #{n} outcome=success summary=\"patched\"", Coordinator));
        Assert.False(await AnnouncedAsync(n));
        Assert.Contains("stays embargoed", await _world.App.SayAsync($"/production #{n} repo=https://repo.example.org/prod/glite", TechUnit, "conv-" + TechUnit));
        Assert.False(await AnnouncedAsync(n));

        Assert.Contains("Only coordinators", await _world.App.SayAsync($"/disclose #{n}", Alice, "conv-" + Alice));
        Assert.Contains("is disclosed", await _world.App.SayAsync($"/disclose #{n}", Coordinator));
        Assert.True(await AnnouncedAsync(n));
        Assert.Contains("already disclosed", await _world.App.SayAsync($"/disclose #{n}", Coordinator));
    }

    private async Task<bool> AnnouncedAsync(long n)
    {
        await using var db = await _world.App.DbAsync();
        return await db.Notices.AnyAsync(x => x.Recipient == "channel:broadcast" && x.DedupeKey == $"ticket:{n}:production");
    }
}
