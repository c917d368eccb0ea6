using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Tickets;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Tests.Operations;

public sealed class TicketImportTests : IDisposable
{
    private readonly string _source = OperatorRun.NewDataFolder();
    private readonly string _target = OperatorRun.NewDataFolder();
    private readonly List<string> _files = [];
    private TicketWorld? _lived;

    /// <summary>A bot that lived a little: a closed release with reports and a comment, a restricted one, a passed one, a fresh one.</summary>
    private async Task<(long Closed, long Restricted, long Passed, long Fresh)> LivedAsync()
    {
        // Kept running until the test ends: a test host removes its data folder when it stops.
        var w = _lived = new TicketWorld(dataFolder: _source);
        await w.CastAsync();
        var closed = await w.RollingOutAsync();
        Assert.Contains("Comment added", await w.SayAsync($"/comment #{closed} \"installed on two CEs\"", TicketWorld.Alice));
        await w.SayAsync($"/report #{closed} outcome=warning hours=3 notes=\"doc typo\"", TicketWorld.Alice);
        Assert.Contains("closed", await w.SayAsync($"/close #{closed} outcome=warning summary=\"one site, a doc typo\"", TicketWorld.Coordinator));
        var restricted = await w.VerifiedAsync("security=https://svg.example.org/advisory/2011-01");
        var passed = await w.VerifiedAsync();
        Assert.Contains("passes on", await w.SayAsync($"/pass #{passed} reason=\"CE in downtime until Friday\"", TicketWorld.Alice));
        var fresh = await w.OpenAsync(type: "revision");
        return (closed, restricted, passed, fresh);
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}");
        System.IO.File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    /// <summary>Reads a stopped bot's SQLite database directly (a test host would remove the folder when it stops).</summary>
    private static async Task<T> QueryAsync<T>(string data, Func<RolloutDb, Task<T>> query)
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "rollout.db"), Pooling = false };
        await using var db = new RolloutDb(new DbContextOptionsBuilder<RolloutDb>().UseSqlite(file.ToString()).Options);
        return await query(db);
    }

    private async Task<string> ExportAsync(string data, string kind, string format)
    {
        var run = await OperatorRun.RunAsync(data, "export", kind, "--format", format);
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Output;
    }

    private async Task<string> MoveRegistryAsync()
    {
        var registry = File("registry.csv", await ExportAsync(_source, "registry", "csv"));
        var sites = await OperatorRun.RunAsync(_target, "import", "sites", registry);
        Assert.True(sites.ExitCode == 0, sites.Error);
        return registry;
    }

    [Fact]
    public async Task ExportThenImportIntoAnEmptyBot_ExportsTheSameJson_AndTheSameFileTwiceChangesNothing()
    {
        var (closed, restricted, passed, _) = await LivedAsync();
        var exported = await ExportAsync(_source, "tickets", "json");
        var tickets = JsonNode.Parse(exported)!["tickets"]!.AsArray();
        Assert.Equal(4, tickets.Count);
        var closedJson = tickets.Single(t => (long)t!["number"]! == closed)!;
        Assert.Equal("closed", (string?)closedJson["state"]);
        Assert.NotNull(closedJson["step_times"]!["rolling_out_at"]);
        Assert.Equal("Alpha", (string?)closedJson["participations"]![0]!["site"]);
        Assert.Contains(closedJson["history"]!.AsArray(), h => (string?)h!["change"]!["kind"] == "site-reported" && (string?)h["site"] == "Alpha");
        Assert.True((bool)tickets.Single(t => (long)t!["number"]! == restricted)!["restricted"]!);

        await MoveRegistryAsync();
        var file = File("tickets.json", exported);
        var first = await OperatorRun.RunAsync(_target, "import", "tickets", file);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Imported: 4 ticket(s) added", first.Output);
        Assert.Equal(exported, await ExportAsync(_target, "tickets", "json"));

        var counts = await QueryAsync(_target, async db => (await db.Tickets.CountAsync(), await db.TicketHistory.CountAsync(),
            await db.Participations.CountAsync(), await db.SiteDeclines.CountAsync(), await db.TicketComments.CountAsync()));
        var second = await OperatorRun.RunAsync(_target, "import", "tickets", file);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Nothing to change", second.Output);
        Assert.Equal(counts, await QueryAsync(_target, async db => (await db.Tickets.CountAsync(), await db.TicketHistory.CountAsync(),
            await db.Participations.CountAsync(), await db.SiteDeclines.CountAsync(), await db.TicketComments.CountAsync())));

        // The history is typed as the ticket's own operations write it, with the new bot's site ids.
        var history = await QueryAsync(_target, db => db.TicketHistory.AsNoTracking().Where(h => h.TicketId == closed).OrderBy(h => h.Id).ToListAsync());
        var alpha = await QueryAsync(_target, db => db.Sites.AsNoTracking().SingleAsync(s => s.Name == "Alpha"));
        Assert.Contains(history, h => h.Change is SiteReported { Outcome: Outcome.Warning } r && r.SiteId == alpha.Id && h.What == "site Alpha done");
        Assert.Equal(passed, await QueryAsync(_target, db => db.SiteDeclines.AsNoTracking().Select(d => d.TicketId).SingleAsync()));
    }

    [Fact]
    public async Task AnImportedRestrictedTicket_StaysHiddenFromWhoMayNotSeeIt_AndTheNextTicketGetsTheNextNumber()
    {
        var (_, restricted, _, fresh) = await LivedAsync();
        await MoveRegistryAsync();
        Assert.Equal(0, (await OperatorRun.RunAsync(_target, "import", "tickets", File("tickets.json", await ExportAsync(_source, "tickets", "json")))).ExitCode);

        using var w = new TicketWorld(dataFolder: _target);
        await w.GrantAsync(TicketWorld.Provider, Rollout.Bot.Conversation.Role.Provider);
        Assert.Contains("There is no ticket", await w.SayAsync($"/ticket #{restricted}", TicketWorld.Bob));
        Assert.Contains("restricted", await w.SayAsync($"/ticket #{restricted}", TicketWorld.Coordinator));
        Assert.Equal(fresh + 1, await w.OpenAsync());
    }

    [Fact]
    public async Task ImportTickets_AnotherTicketUnderTheSameNumber_IsRefused_AndNothingIsWritten()
    {
        await LivedAsync();
        var exported = JsonNode.Parse(await ExportAsync(_source, "tickets", "json"))!;
        await MoveRegistryAsync();
        Assert.Equal(0, (await OperatorRun.RunAsync(_target, "import", "tickets", File("tickets.json", exported.ToJsonString()))).ExitCode);

        var tickets = exported["tickets"]!.AsArray();
        tickets[0]!["component"] = "WMS";
        tickets[1]!["summary"] = "changed meanwhile";
        var run = await OperatorRun.RunAsync(_target, "import", "tickets", File("conflict.json", exported.ToJsonString()));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Nothing was imported: 2 problem(s)", run.Error);
        Assert.Contains($"ticket #{tickets[0]!["number"]} (line 1): number: this bot's #{tickets[0]!["number"]} is cream 1.2.3, the file's is WMS 1.2.3", run.Error);
        Assert.Contains("with other summary; an import adds tickets and never changes one", run.Error);
    }

    [Fact]
    public async Task ImportTickets_AMalformedFile_IsRefusedNamingTheLine()
    {
        var run = await OperatorRun.RunAsync(_target, "import", "tickets", File("broken.json", "{\n  \"format\": \"rollout-bot tickets\",\n  \"tickets\": [\n    {\"number\": 1,,}\n  ]\n}\n"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 4: not well-formed JSON", run.Error);
        Assert.False(Directory.Exists(_target) && System.IO.File.Exists(Path.Combine(_target, "rollout.db")), "a refused file must not even create the database");
    }

    [Fact]
    public async Task ImportTickets_AnUnknownStateAndAMissingComponent_AreRefusedWithTheFieldAndHowToFixIt_AndNothingIsWritten()
    {
        await LivedAsync();
        var exported = JsonNode.Parse(await ExportAsync(_source, "tickets", "json"))!;
        await MoveRegistryAsync();
        var tickets = exported["tickets"]!.AsArray();
        tickets[1]!["state"] = "closd";
        tickets[2]!.AsObject().Remove("component");
        tickets[3]!["participations"] = new JsonArray(new JsonObject { ["site"] = "Omega", ["accepted_by"] = "u-x", ["accepted_by_name"] = "X", ["accepted_at"] = "2026-03-02T10:00:00+00:00" });
        var text = exported.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        var run = await OperatorRun.RunAsync(_target, "import", "tickets", File("bad.json", text));

        Assert.Equal(1, run.ExitCode);
        var line = (int n) => 1 + text[..text.IndexOf($"\"number\": {tickets[n]!["number"]},", StringComparison.Ordinal)].Count(c => c == '\n') - 1;
        Assert.Contains($"ticket #{tickets[1]!["number"]} (line {line(1)}): state: 'closd' is not a ticket state; one of certified, unverified", run.Error);
        Assert.Contains($"ticket #{tickets[2]!["number"]} (line {line(2)}): component: missing; give the component's name", run.Error);
        Assert.Contains($"participations[0].site: 'Omega' is not in this bot's registry; import the sites first", run.Error);
        Assert.Equal(0, await QueryAsync(_target, db => db.Tickets.CountAsync()));
        Assert.Equal(0, await QueryAsync(_target, db => db.TicketHistory.CountAsync()));
    }

    [Fact]
    public async Task ImportTickets_AnUnknownChangeKind_IsRefusedNamingTheEntry()
    {
        await LivedAsync();
        var exported = JsonNode.Parse(await ExportAsync(_source, "tickets", "json"))!;
        await MoveRegistryAsync();
        exported["tickets"]![0]!["history"]![0]!["change"] = new JsonObject { ["kind"] = "teleported" };
        var run = await OperatorRun.RunAsync(_target, "import", "tickets", File("kind.json", exported.ToJsonString()));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("history[0].change.kind: 'teleported' is not a kind of ticket change; one of opened, state-moved", run.Error);
        Assert.Equal(0, await QueryAsync(_target, db => db.Tickets.CountAsync()));
    }

    public void Dispose()
    {
        _lived?.Dispose();
        foreach (var dir in new[] { _source, _target })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        foreach (var file in _files) System.IO.File.Delete(file);
    }
}
