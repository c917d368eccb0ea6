using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Protocol;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>The provider hears one message per real change, each text labelled for what it is.</summary>
public sealed class ProviderStreamTests : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Provider_HearsEachStepOnce_AndTheClosingSummaryIsCalledASummary()
    {
        await _w.CastAsync();
        await _w.SayAsync("/release new component=cream version=1.14.2 stack=glite type=revision " + TicketWorld.Links, TicketWorld.Provider);
        await _w.SayAsync("/unverified #1", TicketWorld.Repository);
        await _w.SayAsync("/verify #1 repo=https://repo.example.org/sr/cream", TicketWorld.TechUnit);
        await _w.SayAsync("/accept #1", TicketWorld.Alice);
        await _w.SayAsync("/report #1 outcome=warning hours=3 notes=\"doc typo\"", TicketWorld.Alice);
        await _w.SayAsync("/close #1 outcome=warning summary=\"one doc typo\"", TicketWorld.Coordinator);

        var told = await _w.DbAsync(db => db.Notices.AsNoTracking().Where(n => n.Recipient == "user:" + TicketWorld.Provider)
            .OrderBy(n => n.Id).Select(n => n.PayloadJson).ToListAsync());
        var texts = told.Select(p => BotMessage.FromJson(p).Text ?? "").ToList();

        // unverified, verified (with its repository), accepted (which starts the rollout), reported, closed.
        Assert.Equal(5, texts.Count);
        Assert.Contains(texts, t => t.Contains("is now rolling-out; site accepted: Alpha (Alice)."));
        var report = Assert.Single(texts, t => t.Contains("site Alpha done"));
        Assert.Contains("\nNotes: doc typo", report);
        var closed = Assert.Single(texts, t => t.Contains("closed"));
        Assert.Contains("is now closed with outcome warning (Coord).", closed);
        Assert.EndsWith("\nSummary: one doc typo", closed);
        Assert.DoesNotContain(texts, t => t.Contains("Reason: one doc typo") || t.Contains("outcome: warning"));
    }
}
