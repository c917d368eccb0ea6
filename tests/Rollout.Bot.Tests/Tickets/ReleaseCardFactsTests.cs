using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.NoticeCardWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>The release card tells a site what it needs: who is expected, where each stands, by when, in whose zone.</summary>
public sealed class ReleaseCardFactsTests : IDisposable
{
    private readonly NoticeCardWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task VerifiedCard_ListsTheExpectedSites_WithTheirAcceptByInTheirOwnZone_AndNoRowRepeatingTheTitle()
    {
        await _world.CastAsync();
        await _world.SiteAsync("Gamma", "u-gina", "cream");
        await SetZoneAsync("Gamma", "America/New_York");
        var n = await _world.VerifiedAsync();

        var card = await PostedCardAsync(n);
        var text = card.GetRawText();
        Assert.Matches(@"- Alpha: expected, accept by \w{3} \d+ \w{3} \d\d:\d\d Europe/Zurich", Sites(card));
        Assert.Matches(@"- Gamma: expected, accept by \w{3} \d+ \w{3} \d\d:\d\d America/New_York", Sites(card));
        Assert.DoesNotContain("Beta", Sites(card)); // not committed to cream, not taking part
        var facts = card.GetProperty("body").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "FactSet")
            .SelectMany(f => f.GetProperty("facts").EnumerateArray()).Select(f => f.GetProperty("title").GetString()).ToList();
        Assert.DoesNotContain("Component", facts);
        Assert.DoesNotContain("Version", facts);
        Assert.DoesNotContain("State", facts);
        Assert.Contains("Accept by", facts);
        Assert.Contains("Europe/Zurich ({{DATE(", text);
        Assert.Contains("your time", text);
        Assert.Contains("ticket.accept", text);
    }

    [Fact]
    public async Task OnceEveryExpectedSiteTookPart_TheCardHasNoAccept_AndSaysWhenTheReportIsDue()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        await _world.CopiesAsync(n, 1);
        await _world.App.SayAsync($"/accept #{n}", Alice, "conv-" + Alice);

        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "update" && CardOf(x.Activity).GetRawText().Contains("taking part")));
        var card = CardOf(calls.Last(x => x.Op == "update").Activity);
        Assert.Matches(@"- Alpha: taking part, report due \w{3} \d+ \w{3} \d\d:\d\d Europe/Zurich", Sites(card));
        Assert.DoesNotContain("ticket.accept", card.GetRawText());
        Assert.Contains("ticket.report", card.GetRawText());
    }

    [Fact]
    public async Task AComment_LeavesThePostedCardAsItIs_WhileTheAcceptAfterItRedrawsIt()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync();
        await _world.CopiesAsync(n, 1);

        Assert.Contains($"Comment added to #{n}", await _world.App.SayAsync($"/comment #{n} \"starting on Monday\"", Alice, "conv-" + Alice));
        // Everything the comment queued has gone out (the provider's notice), and no copy of the card was put again.
        await _world.App.UntilAsync(async () =>
        {
            await using var db = await _world.App.DbAsync();
            return !await db.Notices.AnyAsync(x => x.State == Rollout.Bot.Notices.NoticeState.Pending);
        }, "the comment's notices sent");
        Assert.Contains(_world.App.Connector.Calls, c => c.Op == "send" && c.ConversationId == "conv-" + Provider && c.Activity.Text!.Contains("starting on Monday"));
        Assert.DoesNotContain(_world.App.Connector.Calls, c => c.Op == "update");

        await _world.App.SayAsync($"/accept #{n}", Alice, "conv-" + Alice);
        await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "update" && CardOf(x.Activity).GetRawText().Contains("taking part")));
    }

    [Fact]
    public async Task RestrictedCard_StartsWithTheBanner()
    {
        await _world.CastAsync();
        var n = await _world.VerifiedAsync("security=https://sec.example.org/advisory/1");

        await using var db = await _world.App.DbAsync();
        var payload = await db.Notices.Where(x => x.CardKey == $"ticket:{n}" && x.Recipient == $"user:{Alice}").Select(x => x.PayloadJson).SingleAsync();
        var first = Rollout.Bot.Protocol.BotMessage.FromJson(payload).Cards.Single().GetProperty("body")[0];
        Assert.StartsWith("Restricted (security)", first.GetProperty("text").GetString());
        Assert.Equal("Attention", first.GetProperty("color").GetString());
    }

    private async Task<JsonElement> PostedCardAsync(long n)
    {
        var calls = await _world.App.Connector.WaitForAsync(c => c.Any(x => x.Op == "send" && x.ConversationId == Room));
        return CardOf(calls.Single(x => x.Op == "send" && x.ConversationId == Room).Activity);
    }

    private static JsonElement CardOf(Rollout.Bot.Protocol.Schema.Activity activity) => activity.Attachments!.Single().Content!.Value;

    /// <summary>The card's list of sites (the block after the "Sites" heading).</summary>
    private static string Sites(JsonElement card)
    {
        var blocks = card.GetProperty("body").EnumerateArray().ToList();
        var heading = blocks.FindIndex(b => b.TryGetProperty("text", out var t) && t.GetString() == "Sites");
        Assert.True(heading >= 0, card.GetRawText());
        return blocks[heading + 1].GetProperty("text").GetString()!;
    }

    private async Task SetZoneAsync(string site, string zone)
    {
        await using var db = await _world.App.DbAsync();
        (await db.Sites.SingleAsync(s => s.Name == site)).TimeZone = zone;
        await db.SaveChangesAsync();
    }
}
