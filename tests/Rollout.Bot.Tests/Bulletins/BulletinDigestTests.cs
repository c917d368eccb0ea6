using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tests.Scheduling;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.Bulletins;

/// <summary>The bulletin before the Monday operations meeting (16:00 Zurich, bulletin at 14:00): tickets, targets, vacancies.</summary>
public sealed class BulletinDigestTests : IDisposable
{
    private readonly TimerWorld _t = new();
    private TicketWorld W => _t.World;

    public void Dispose() => _t.Dispose();

    private Task<List<string>> BulletinNoticesAsync() => W.DbAsync(db =>
        db.Notices.AsNoTracking().Where(n => n.DedupeKey.StartsWith("bulletin:")).Select(n => n.Recipient + " " + n.DedupeKey).ToListAsync());

    [Fact]
    public async Task Bulletin_ListsMovesProgressWaitingAndVacancies_CountsRestricted_AndIsQueuedOnceToOperations()
    {
        await W.CastAsync();
        await W.DbAsync(db =>
        {
            db.Components.Add(new Component { Name = "argus", Stack = "glite", AddedAt = DateTimeOffset.UtcNow, AddedBy = "test" });
            return db.SaveChangesAsync();
        });
        var waiting = await W.VerifiedAsync();
        var rolling = await W.VerifiedAsync();
        Assert.Contains("accepted", await _t.SayAsync($"/accept #{rolling}", TicketWorld.Alice));
        var secret = await W.VerifiedAsync();
        await W.DbAsync(db => db.Tickets.Where(t => t.Id == secret)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.SecurityAdvisoryUrl, "https://svg.example.org/advisory/2011-01")));
        var stuck = await W.OpenAsync(); // certified: misses the repository target at 14:00

        await _t.RunAtAsync("2026-11-23 14:00");
        var poster = W.App.Services.GetRequiredService<BulletinPoster>();
        await poster.RunAsync("Operations meeting", _t.Clock.GetUtcNow());
        await poster.RunAsync("Operations meeting", _t.Clock.GetUtcNow());

        var text = await W.DbAsync(db => db.BulletinPosts.AsNoTracking().Select(b => b.Text).SingleAsync());
        // One line per ticket: its latest state, its age and the step it waits in.
        Assert.Contains("**Releases**: 3 in progress, 2 moved since the previous bulletin.\n\n", text);
        Assert.Contains($"- #{waiting} cream 1.2.3 (minor): verified, 4 h old — waits in step 3: a site to accept it (moved)\n", text);
        Assert.Contains($"- #{rolling} cream 1.2.3 (minor): rolling-out, 4 h old — waits in step 3: reports from Alpha (moved)\n", text);
        Assert.Contains($"- #{stuck} cream 1.2.3 (minor): certified, 4 h old — waits in step 1: the repository managers pull the packages; missed target: repository\n", text);
        Assert.Single(text.Split('\n'), l => l.StartsWith($"- #{rolling} "));
        Assert.Contains($"**Waiting for a site to accept**:\n\n- #{waiting} cream 1.2.3 (minor)\n", text);
        Assert.Contains("Restricted (security) releases in progress or moved: 1 (not described here).", text);
        // No list runs into the sentence after it: every list ends with a blank line or the end of the text.
        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
            Assert.False(lines[i - 1].StartsWith("- ") && lines[i].Length > 0 && !lines[i].StartsWith("- ") && !lines[i].StartsWith("  "), $"'{lines[i]}' follows a list item");
        Assert.Contains("- argus (glite)", text);
        Assert.DoesNotContain($"#{secret}", text);
        Assert.Equal([$"channel:operations bulletin:Operations meeting:{Zurich.At("2026-11-23 16:00").UtcDateTime:yyyy-MM-ddTHH:mm}Z"],
            await BulletinNoticesAsync());
        var payload = await W.DbAsync(db => db.Notices.AsNoTracking().Where(n => n.DedupeKey.StartsWith("bulletin:")).Select(n => n.PayloadJson).SingleAsync());
        Assert.Single(Rollout.Bot.Protocol.BotMessage.FromJson(payload).Cards);
        Assert.Contains("Bulletin for the Operations meeting", payload);
        Assert.DoesNotContain($"#{secret} ", payload);
    }

    [Fact]
    public async Task BulletinPost_PostsNowOnce_AndOnlyForCoordinators()
    {
        Assert.Contains("Only coordinators", await _t.SayAsync("/bulletin post", TicketWorld.Alice));
        Assert.Contains("Posted the bulletin of Operations meeting to the `operations` channel", await _t.SayAsync("/bulletin post", TicketWorld.Coordinator));
        Assert.Contains("already posted", await _t.SayAsync("/bulletin post", TicketWorld.Coordinator));
        Assert.Single(await BulletinNoticesAsync());
    }

    [Fact]
    public async Task Bulletin_SummarisesWarningsAndRejects_IsOneCardWithTheTextAsFallback_AndItsArchiveIsSafeHtml()
    {
        await W.CastAsync();
        var n = await W.RollingOutAsync();
        await _t.SayAsync($"/report #{n} outcome=warning notes=\"needs a manual restart of the BDII\"", TicketWorld.Alice);
        await _t.SayAsync($"/close #{n} outcome=warning summary=\"restart the BDII after the update\"", TicketWorld.Coordinator);
        await _t.SayAsync("/bulletin note meeting=\"Operations meeting\" \"Read <script>alert(1)</script> and [this](javascript:alert(2))\"", TicketWorld.Coordinator);

        await _t.RunAtAsync("2026-11-23 14:00");
        await W.App.Services.GetRequiredService<BulletinPoster>().RunDueAsync(_t.Clock.GetUtcNow());

        var post = await W.DbAsync(db => db.BulletinPosts.AsNoTracking().SingleAsync(b => b.Meeting == "Operations meeting"));
        Assert.Contains("**Note from the coordinators**: Read <script>", post.Text);
        Assert.Contains($"**Warnings and rejects** since the previous bulletin:\n\n- #{n} cream 1.2.3 (minor): Alpha reported warning: needs a manual restart of the BDII\n" +
            $"- #{n} cream 1.2.3 (minor): closed with warning: restart the BDII after the update\n", post.Text);
        Assert.Contains($"- #{n} cream 1.2.3 (minor): closed (warning), 4 h old\n", post.Text);
        var payload = await W.DbAsync(db => db.Notices.AsNoTracking().Where(n => n.DedupeKey.StartsWith("bulletin:Operations meeting")).Select(n => n.PayloadJson).SingleAsync());
        var message = Rollout.Bot.Protocol.BotMessage.FromJson(payload);
        Assert.Null(message.Text); // posted once: the card alone, not the text and then the card
        var card = Assert.Single(message.Cards);
        Assert.Contains("restart the BDII after the update", card.GetProperty("fallbackText").GetString());

        var html = await (await W.App.CreateClient().GetAsync($"/status/bulletins/{post.Id}")).Content.ReadAsStringAsync();
        Assert.Contains("<strong>Warnings and rejects</strong>", html);
        Assert.Contains("<li>#", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("javascript:", html);
    }
}
