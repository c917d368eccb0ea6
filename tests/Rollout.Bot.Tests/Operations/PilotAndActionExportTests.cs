using System.Text.Json.Nodes;
using Rollout.Bot.Tests.Pilots;

namespace Rollout.Bot.Tests.Operations;

public sealed class PilotAndActionExportTests : IDisposable
{
    private PilotWorld _w = null!;

    /// <summary>A screened pilot with Alpha accepted and Beta invited, and an action of the operations meeting, one done.</summary>
    private async Task<long> LivedAsync()
    {
        _w = await PilotWorld.StartAsync(null);
        await _w.PartnerAsync("Alpha", PilotWorld.Alice, "gold", null, "cream");
        await _w.PartnerAsync("Beta", PilotWorld.Bob, "gold");
        var n = await _w.ScreenedAsync();
        await _w.SayAsync($"/pilot invite P{n} site=Alpha", PilotWorld.Pia);
        await _w.SayAsync($"/pilot invite P{n} site=Beta", PilotWorld.Pia);
        await _w.SayAsync($"/pilot answer P{n} accept", PilotWorld.Alice);
        Assert.Contains("Action A1", await _w.SayAsync("/action add owner=u-alice due=2026-12-14 \"Send the CVMFS plan, with a, comma\" meeting=\"Operations coordination\"", PilotWorld.Coordinator));
        Assert.Contains("Action A2", await _w.SayAsync("/action add owner=u-bob due=2026-12-21 \"Check the BDII\"", PilotWorld.Coordinator));
        Assert.Contains("done", await _w.SayAsync("/action done A2 note=\"fixed\"", PilotWorld.Bob));
        return n;
    }

    private async Task<string> ExportAsync(string kind, string format)
    {
        var run = await OperatorRun.RunAsync(_w.App.DataFolder, "export", kind, "--format", format);
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Output;
    }

    [Fact]
    public async Task ExportPilots_AsCsv_HasOneRowPerPilot_WithItsSitesAndCoordinator()
    {
        var n = await LivedAsync();
        var lines = (await ExportAsync("pilots", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("number,title,component,version,ticket,category,requester,requester_kind,state,decision,", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{n},CREAM pilot,cream,2.0,,server-bc-minor,CREAM developers,developer,screened,,u-pia,Pia,u-pia,Pia,", lines[1]);
        Assert.Contains("Alpha: accepted; Beta: invited", lines[1]);
    }

    [Fact]
    public async Task ExportPilots_AsJson_CarriesTheSameFields()
    {
        var n = await LivedAsync();
        var pilot = Assert.Single(JsonNode.Parse(await ExportAsync("pilots", "json"))!.AsArray())!;
        Assert.Equal(n, (long)pilot["number"]!);
        Assert.Equal("screened", (string?)pilot["state"]);
        Assert.Equal("Alpha: accepted; Beta: invited", (string?)pilot["sites"]);
        Assert.Null(pilot["vos"]);
    }

    [Fact]
    public async Task ExportActions_AsCsvAndJson_HasEachActionWithItsMeetingAndWhetherItIsDone()
    {
        await LivedAsync();
        var csv = (await ExportAsync("actions", "csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("number,text,owner_id,due,state,meeting,task_force,created_by,created_at,done_at,done_by,done_note", csv[0]);
        Assert.StartsWith("1,\"Send the CVMFS plan, with a, comma\",u-alice,2026-12-14,open,Operations coordination,,u-coord,", csv[1]);
        Assert.StartsWith("2,Check the BDII,u-bob,2026-12-21,done,,,u-coord,", csv[2]);
        Assert.EndsWith(",u-bob,fixed", csv[2].TrimEnd('\r'));

        var json = JsonNode.Parse(await ExportAsync("actions", "json"))!.AsArray();
        Assert.Equal(["open", "done"], json.Select(a => (string?)a!["state"]));
        Assert.Equal("Operations coordination", (string?)json[0]!["meeting"]);
        Assert.Equal("2026-12-14", (string?)json[0]!["due"]);
    }

    public void Dispose() => _w?.Dispose();
}
