using System.Text.Json.Nodes;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.Operations;

/// <summary>The ticket file moves a SQLite bot's tickets to a PostgreSQL one, where the numbers go on after the highest imported.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TicketImportPostgresTests(PostgresServer postgres)
{
    [Fact]
    public async Task TicketsFromSqlite_ImportIntoPostgres_ExportTheSame_AndTheNextTicketGetsTheNextNumber()
    {
        var source = OperatorRun.NewDataFolder();
        using var lived = new TicketWorld(dataFolder: source);
        await lived.CastAsync();
        var rolling = await lived.RollingOutAsync();
        Assert.Contains("Comment added", await lived.SayAsync($"/comment #{rolling} \"two CEs\"", TicketWorld.Alice));
        var restricted = await lived.VerifiedAsync("security=https://svg.example.org/advisory/2011-01");
        var exported = (await OperatorRun.RunAsync(source, "export", "tickets", "--format", "json")).Output;
        var registry = (await OperatorRun.RunAsync(source, "export", "registry", "--format", "csv")).Output;

        var target = await postgres.CreateDatabaseAsync();
        string[] config = ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={target}"];
        var data = OperatorRun.NewDataFolder();
        var files = Path.Combine(Path.GetTempPath(), $"pg-import-{Guid.NewGuid():N}");
        Directory.CreateDirectory(files);
        await File.WriteAllTextAsync(Path.Combine(files, "registry.csv"), registry);
        await File.WriteAllTextAsync(Path.Combine(files, "tickets.json"), exported);
        Assert.Equal(0, (await OperatorRun.RunAsync(data, ["import", "sites", Path.Combine(files, "registry.csv"), .. config])).ExitCode);
        var run = await OperatorRun.RunAsync(data, ["import", "tickets", Path.Combine(files, "tickets.json"), .. config]);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Imported: 2 ticket(s) added", run.Output);
        Assert.Equal(exported, (await OperatorRun.RunAsync(data, ["export", "tickets", "--format", "json", .. config])).Output);
        Assert.Contains("Nothing to change", (await OperatorRun.RunAsync(data, ["import", "tickets", Path.Combine(files, "tickets.json"), .. config])).Output);

        using var bot = new TicketWorld(new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = target });
        await bot.GrantAsync(TicketWorld.Provider, Rollout.Bot.Conversation.Role.Provider);
        Assert.Equal(restricted + 1, await bot.OpenAsync());
        Assert.Contains("There is no ticket", await bot.SayAsync($"/ticket #{restricted}", TicketWorld.Bob));
        Assert.True((bool)JsonNode.Parse(exported)!["tickets"]![1]!["restricted"]!);
        Directory.Delete(files, recursive: true);
    }
}
