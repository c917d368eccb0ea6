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

    [Fact]
    public void ManifestDescriptions_SayWhatTheHelpSays()
    {
        var registry = _app.Services.GetRequiredService<CommandRegistry>();
        var wrong = ManifestCommands()
            .Where(c => registry.Find(c.Title) is { } definition && c.Description != Describe(definition))
            .Select(c => $"{c.Title}: \"{Describe(registry.Find(c.Title)!)}\" (the manifest says \"{c.Description}\")").ToList();

        Assert.True(wrong.Count == 0, "The Teams command menu must describe each command as /help does. Use:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void ChannelAndGroupMenus_OfferBindingTheConversation_AndPersonalMenuDoesNot()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ManifestPath()));
        var lists = manifest.RootElement.GetProperty("bots")[0].GetProperty("commandLists").EnumerateArray()
            .Select(l => (Scopes: l.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToList(),
                Titles: l.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("title").GetString()!).ToList()))
            .ToList();

        Assert.Contains(lists, l => l.Scopes.Contains("team") && l.Scopes.Contains("groupChat") && l.Titles.Contains("channel"));
        Assert.Contains(lists, l => l.Scopes.SequenceEqual(["personal"]) && !l.Titles.Contains("channel"));
    }

    /// <summary>The help's summary, with the role that uses the command first, within Teams' 128 characters.</summary>
    private static string Describe(CommandDefinition command)
    {
        var summary = command.Summary.Length == 0 ? command.Summary : char.ToUpperInvariant(command.Summary[0]) + command.Summary[1..];
        var text = command.Group == "Everyone" ? summary : $"{command.Group}: {command.Summary}";
        return text.Length <= 128 ? text : text[..127] + "…";
    }

    private static List<(string Title, string Description)> ManifestCommands()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(ManifestPath()));
        return manifest.RootElement.GetProperty("bots").EnumerateArray()
            .SelectMany(bot => bot.GetProperty("commandLists").EnumerateArray())
            .SelectMany(list => list.GetProperty("commands").EnumerateArray())
            .Select(c => (c.GetProperty("title").GetString()!, c.GetProperty("description").GetString()!)).ToList();
    }

    private static string ManifestPath() => Path.Combine(RepositoryRoot(), "manifests", "teams", "manifest.json");

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
