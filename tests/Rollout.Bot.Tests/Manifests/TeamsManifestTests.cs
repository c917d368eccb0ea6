using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Manifests;

/// <summary>
/// The command menu Teams shows (manifests/teams/manifest.json) must offer only commands the running bot knows,
/// and as many as Teams allows, so adding a command and updating the manifest go together. The schema and icon
/// checks live in tests/manifest (Node, against Microsoft's published schema).
/// </summary>
public sealed class TeamsManifestTests : IDisposable
{
    private const int TeamsCommandLimit = 10;
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public void ManifestCommands_AreAllRegisteredInTheBot()
    {
        var registry = _app.Services.GetRequiredService<CommandRegistry>();

        var unknown = ManifestCommandTitles().Where(title => registry.Find(title) is null).ToList();

        Assert.True(unknown.Count == 0,
            $"manifests/teams/manifest.json offers commands the bot does not know: {string.Join(", ", unknown)}. " +
            "Remove them or fix their titles (the title is the command name without the slash).");
    }

    [Fact]
    public void EveryCommandList_FillsTheTeamsMenu_UpToItsLimit()
    {
        var registry = _app.Services.GetRequiredService<CommandRegistry>();
        var expected = Math.Min(TeamsCommandLimit, registry.All.Count);

        foreach (var titles in ManifestCommandLists())
        {
            Assert.True(titles.Count == titles.Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                $"A command list names a command twice: {string.Join(", ", titles)}.");
            Assert.True(titles.Count == expected,
                $"The bot has {registry.All.Count} commands and a command list has {titles.Count}; list {expected} " +
                $"(Teams shows at most {TeamsCommandLimit}: pick the most useful). Not listed: " +
                string.Join(", ", registry.All.Select(c => c.Name).Except(titles, StringComparer.OrdinalIgnoreCase)));
        }
    }

    private static List<string> ManifestCommandTitles() => ManifestCommandLists().SelectMany(list => list).Distinct().ToList();

    private static List<List<string>> ManifestCommandLists()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "manifests", "teams", "manifest.json")));
        var lists = manifest.RootElement.GetProperty("bots").EnumerateArray()
            .SelectMany(bot => bot.TryGetProperty("commandLists", out var l) ? l.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(list => list.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("title").GetString()!).ToList())
            .ToList();
        Assert.NotEmpty(lists);
        return lists;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Rollout.Bot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Rollout.Bot.sln above {AppContext.BaseDirectory}.");
    }
}
