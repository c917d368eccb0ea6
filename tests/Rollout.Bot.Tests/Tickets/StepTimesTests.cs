using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// ticket_step_times is written by the workflow with every state move, in the command's transaction; metrics read it
/// instead of the history, so it must always say what the history says.
/// </summary>
public abstract class StepTimesTests(PostgresServer? postgres) : IAsyncLifetime
{
    private TicketWorld _w = null!;

    public async Task InitializeAsync()
    {
        _w = await TicketWorld.StartAsync(postgres);
        await _w.CastAsync();
    }

    public Task DisposeAsync()
    {
        _w.Dispose();
        return Task.CompletedTask;
    }

    private sealed record Times(DateTimeOffset? Unverified, DateTimeOffset? Verified, DateTimeOffset? Closed, DateTimeOffset? Rejected);

    private Task<Times?> KeptAsync(long n) => _w.DbAsync(db => db.TicketStepTimes.AsNoTracking().Where(s => s.TicketId == n)
        .Select(s => new Times(s.UnverifiedAt, s.VerifiedAt, s.ClosedAt, s.RejectedAt)).SingleOrDefaultAsync());

    /// <summary>What the history says: when the ticket moved into each state.</summary>
    private Task<Times> HistoryAsync(long n) => _w.DbAsync(async db =>
    {
        var moves = await db.TicketHistory.AsNoTracking().Where(h => h.TicketId == n && h.What == "state").Select(h => new { h.To, h.At }).ToListAsync();
        DateTimeOffset? At(string state) => moves.Where(m => m.To == state).Select(m => (DateTimeOffset?)m.At).SingleOrDefault();
        return new Times(At("unverified"), At("verified"), At("closed"), At("rejected"));
    });

    [Fact]
    public async Task EachStateMove_UpToClose_IsKeptAsItHappens()
    {
        var n = await _w.OpenAsync();
        Assert.Null(await KeptAsync(n)); // created is not a move

        Assert.Contains("now unverified", await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository));
        var afterPull = await KeptAsync(n);
        Assert.NotNull(afterPull!.Unverified);
        Assert.Equal(await HistoryAsync(n), afterPull);

        Assert.Contains("is verified", await _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TicketWorld.TechUnit));
        Assert.Contains("rolling-out", await _w.SayAsync($"/accept #{n}", TicketWorld.Alice));
        Assert.Contains("/close", await _w.SayAsync($"/report #{n} outcome=success hours=2 notes=\"fine\"", TicketWorld.Alice));
        Assert.Null((await KeptAsync(n))!.Closed);
        Assert.Contains("is closed: success", await _w.SayAsync($"/close #{n} outcome=success summary=\"one site, fine\"", TicketWorld.Coordinator));

        var kept = await KeptAsync(n);
        Assert.Equal(await HistoryAsync(n), kept);
        Assert.Equal(afterPull.Unverified, kept!.Unverified); // later moves never rewrite an earlier instant
        Assert.True(kept.Unverified < kept.Verified && kept.Verified < kept.Closed);
        Assert.Null(kept.Rejected);
    }

    [Fact]
    public async Task Reject_IsKept_AndTheReleaseNeverVerified()
    {
        var n = await _w.OpenAsync();
        Assert.Contains("now unverified", await _w.SayAsync($"/unverified #{n}", TicketWorld.Repository));
        Assert.Contains("is rejected", await _w.SayAsync($"/reject #{n} reason=\"broken signature\"", TicketWorld.TechUnit));

        var kept = await KeptAsync(n);
        Assert.Equal(await HistoryAsync(n), kept);
        Assert.NotNull(kept!.Rejected);
        Assert.Null(kept.Verified);
        Assert.Null(kept.Closed);
    }

    [Fact]
    public async Task EmergencySkip_IsKeptAsTheClose()
    {
        var n = await _w.VerifiedAsync(type: "emergency");
        Assert.Contains("closed without staged rollout", await _w.SayAsync($"/emergency #{n} skip reason=\"exploit in the wild\"", TicketWorld.Coordinator));

        var kept = await KeptAsync(n);
        Assert.Equal(await HistoryAsync(n), kept);
        Assert.NotNull(kept!.Closed);
    }

    [Fact]
    public async Task FailedPullAndRefusedMove_WriteNoStepTimes()
    {
        var n = await _w.OpenAsync();
        Assert.Contains("stays certified", await _w.SayAsync($"/unverified #{n} failed reason=\"checksum mismatch\"", TicketWorld.Repository));
        Assert.Contains("not possible", await _w.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TicketWorld.TechUnit));

        Assert.Null(await KeptAsync(n));
    }

    [Fact]
    public async Task RestrictedRelease_IsCountedInApiMetrics_ButNeverNamed()
    {
        await _w.VerifiedAsync();
        var secret = await _w.OpenAsync("new-component=yes", component: "dpm");
        Assert.Contains("now unverified", await _w.SayAsync($"/unverified #{secret}", TicketWorld.Repository));
        Assert.Contains("is verified", await _w.SayAsync($"/verify #{secret} repo=https://repo.example.org/sr/{secret}", TicketWorld.TechUnit));
        await _w.DbAsync(db => db.Tickets.Where(t => t.Id == secret)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.SecurityAdvisoryUrl, "https://svg.example.org/advisory/2011-01")));

        var body = await _w.App.CreateClient().GetStringAsync("/api/metrics");

        var report = JsonDocument.Parse(body).RootElement;
        Assert.Equal(2, report.GetProperty("releases").GetInt32());
        Assert.Equal(1, report.GetProperty("restrictedReleases").GetInt32());
        var components = report.GetProperty("components").EnumerateArray()
            .ToDictionary(c => c.GetProperty("component").GetString()!, c => c.GetProperty("releases").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["cream"] = 1, ["(restricted)"] = 1 }, components);
        // Both releases finished steps 1 and 2, the restricted one included: its step times count.
        var minor = report.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("releaseType").GetString() == "minor")
            .ToDictionary(s => s.GetProperty("step").GetInt32(), s => s.GetProperty("completed").GetInt32());
        Assert.Equal((2, 2, 0), (minor[1], minor[2], minor[3]));
        Assert.DoesNotContain("dpm", body, StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class StepTimesTestsOnSqlite() : StepTimesTests(null);

[Collection(PostgresCollection.Name)]
public sealed class StepTimesTestsOnPostgres(PostgresServer postgres) : StepTimesTests(postgres);
