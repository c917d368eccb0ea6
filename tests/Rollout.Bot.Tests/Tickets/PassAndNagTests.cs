using System.Text.Json;
using Rollout.Bot.Tests.Infrastructure;
using static Rollout.Bot.Tests.Tickets.TicketWorld;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>A site's "not this time" in time: the nags skip it, the escalation gives its reason and offers the call for partners.</summary>
public abstract class PassAndNagTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TimerWorld _t = null!; // Monday 2026-11-23 10:00, Zurich
    private TicketWorld W => _t.World;

    public async Task InitializeAsync() => _t = new TimerWorld(postgres is null ? null
        : new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync() });

    public Task DisposeAsync()
    {
        _t.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PassedSite_IsNotNagged_TheEscalationSaysWhy_AndItsCallButtonCallsForPartners()
    {
        await W.CastAsync();
        await W.SiteAsync("Gamma", "u-gina", "cream");
        var n = await W.VerifiedAsync();
        Assert.Contains("passes on", await _t.SayAsync($"/pass #{n} reason=\"CE in downtime until Friday\"", Alice));

        await _t.RunAtAsync("2026-11-24 10:00");

        Assert.Equal(["channel:early-adopters/glite", "user:u-gina"], await _t.RecipientsAsync($"ticket:{n}:acceptance-nag:1"));
        var escalation = (await W.NoticesAsync(n)).Single(t => t.Key == $"ticket:{n}:acceptance-escalation");
        Assert.Contains("- Alpha: passed on 2026-11-23 09:00 UTC: CE in downtime until Friday", escalation.Text);
        Assert.Contains("- Gamma: last activity none recorded", escalation.Text);
        var button = escalation.Message.Cards.Single().GetProperty("actions")[0];
        Assert.Equal("Call for partners", button.GetProperty("title").GetString());
        var data = button.GetProperty("data");

        var click = BotApp.Message("", Coordinator, "Coord", "conv-ops", isGroup: true);
        click.Text = null;
        click.Value = data;
        var before = W.App.Connector.Calls.Count;
        (await W.App.PostAsync(click)).EnsureSuccessStatusCode();
        var reply = await ReplyToAsync(click.Id!, before);
        // The confirmation of a click in a room is the clicker's: their personal chat has it, the room a pointer.
        Assert.Contains(PrivateAnswerReader.Pointer, reply);
        Assert.Equal($"Call for partners on #{n} cream 1.2.3: sent to the admins of Beta.",
            (await PrivateAnswerReader.LatestAsync(W.App.Services, Coordinator)).Text);

        var metrics = await _t.SayAsync("/metrics", Eve);
        Assert.Contains("- Alpha: 0 · 0 h · – · – · passed on 1", metrics);
    }

    [Fact]
    public async Task TheCallButton_RunsTheCommandsOwnChecks()
    {
        await W.CastAsync();
        var n = await W.VerifiedAsync();
        var click = BotApp.Message("", Alice, "Alice", "conv-u-alice");
        click.Text = null;
        click.Value = JsonSerializer.SerializeToElement(new { verb = "ticket.call", ticket = n.ToString() });
        var before = W.App.Connector.Calls.Count;
        (await W.App.PostAsync(click)).EnsureSuccessStatusCode();

        Assert.Contains("Only coordinators can use `/call`", await ReplyToAsync(click.Id!, before));
    }

    private async Task<string> ReplyToAsync(string activityId, int before)
    {
        for (var seen = before + 1; ; seen++)
        {
            var calls = await W.App.Connector.WaitForCallsAsync(seen);
            if (calls.Skip(before).Select(c => c.Activity).FirstOrDefault(a => a.ReplyToId == activityId) is { } reply) return reply.Text ?? "";
        }
    }
}

public sealed class PassAndNagTestsOnSqlite() : PassAndNagTests(null);

[Collection(PostgresCollection.Name)]
public sealed class PassAndNagTestsOnPostgres(PostgresServer postgres) : PassAndNagTests(postgres);
