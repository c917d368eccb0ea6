using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Conversation;

/// <summary>The one command pipeline, through /api/messages: reactions, refusals, apologies.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly List<string> _seen = [];
    private readonly TicketWorld _w;

    public PipelineTests()
    {
        _w = new TicketWorld(services: services =>
        {
            // What a newcomer writes to react to "a site reported": one reaction, one registration line.
            services.AddReaction<Ticket, SiteReported>("test: note reports", _ => (ctx, ticket, change) =>
            {
                lock (_seen) _seen.Add($"{ticket.Number} {change.Site} {change.Outcome.ToName()} by {ctx.By.UserId}");
                ctx.Db.TicketComments.Add(new TicketComment { TicketId = ticket.Id, At = ctx.Now, ByUserId = "bot", ByName = "bot", Text = "seen by a reaction" });
                return Task.CompletedTask;
            });
            services.AddCommand(new CommandDefinition("boom", "Everyone", ["/boom"], "throws", Writes: true, _ => throw new InvalidOperationException("kaput")));
            services.AddCommand(new CommandDefinition("halfway", "Everyone", ["/halfway"], "writes, then refuses", Writes: true, async s =>
            {
                var ticket = (await s.FindTicketAsync(1))!;
                ticket.Comment("should never be kept", s.Actor, s.Now);
                return Reply.No("Changed my mind.");
            }));
        });
    }

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task AReactionRegisteredForSiteReported_RunsOnceInTheCommandsTransaction()
    {
        await _w.CastAsync();
        var n = await _w.RollingOutAsync();

        await _w.SayAsync($"/report #{n} outcome=warning notes=\"doc typo\"", TicketWorld.Alice);

        Assert.Equal([$"#{n} Alpha warning by {TicketWorld.Alice}"], _seen);
        Assert.Equal(1, await _w.DbAsync(db => db.TicketComments.CountAsync(c => c.Text == "seen by a reaction")));
    }

    [Fact]
    public async Task ARefusal_RollsBackWhatTheHandlerHadStarted()
    {
        await _w.CastAsync();
        await _w.OpenAsync();

        Assert.Equal("Changed my mind.", await _w.SayAsync("/halfway", TicketWorld.Alice));

        Assert.Equal(0, await _w.DbAsync(db => db.TicketComments.CountAsync()));
        Assert.Equal(1, await _w.DbAsync(db => db.TicketHistory.CountAsync()));
    }

    [Fact]
    public async Task AnUnexpectedFailure_IsApologisedForOnceWithAnErrorNumberThatIsLogged()
    {
        var reply = await _w.SayAsync("/boom", TicketWorld.Alice);

        Assert.Matches(@"^Sorry, `/boom` failed on my side and changed nothing \(error [0-9a-f]{8},", reply);
    }

    [Fact]
    public void EveryReactionHasAName_AndTheTicketReactionsAreRegistered()
    {
        var names = _w.App.Services.GetRequiredService<Reactions>().All.Select(r => r.Name).ToList();

        Assert.Contains("notices: the release card goes out on verification", names);
        Assert.Contains("timers: an accepted site's report is due", names);
        Assert.Contains("step times: the first instant of each state", names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
