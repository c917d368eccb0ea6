using System.Net;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Conversation;

public sealed class HelpTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("/help")]
    [InlineData("help")]
    [InlineData("HELP")]
    [InlineData("<at>Rollout.Bot</at> /help")]
    public async Task Help_WithOrWithoutSlashOrMention_ListsCommandsGroupedByRole(string typed)
    {
        var reply = await _app.SayAsync(typed);

        Assert.Contains("**Everyone**", reply);
        Assert.Contains("`/help`", reply);
    }

    [Fact]
    public async Task UnknownCommand_NamesTheClosestKnownCommand()
    {
        var reply = await _app.SayAsync("/hlep");

        Assert.Contains("I don't know 'hlep'", reply);
        Assert.Contains("`/help`", reply);
    }

    [Theory]
    [InlineData("/grant provider bob", "I don't know 'grant' on its own. Did you mean `/role grant`?")]
    [InlineData("unbind operations", "Did you mean `/channel unbind` or `/mail unbind`?")]
    public async Task ASubcommandTypedAlone_NamesTheCommandsItBelongsTo(string typed, string expected)
    {
        Assert.Contains(expected, await _app.SayAsync(typed));
    }

    [Fact]
    public async Task AddTypedAlone_NamesEveryCommandWithAnAdd()
    {
        var reply = await _app.SayAsync("add");

        Assert.Contains("I don't know 'add' on its own. Did you mean ", reply);
        foreach (var command in new[] { "/action add", "/component add", "/holiday add", "/meeting add", "/site add" })
            Assert.Contains($"`{command}`", reply);
    }

    [Fact]
    public async Task UnclosedQuote_IsExplained()
    {
        var reply = await _app.SayAsync("help reason=\"oops");

        Assert.Contains("double quote is not closed", reply);
    }

    [Fact]
    public async Task SameActivityIdTwice_IsProcessedOnce()
    {
        var activity = BotApp.Message("/help", id: "dup-1");

        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync(activity)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.PostAsync(activity)).StatusCode);
        await _app.SayAsync("help"); // a later, distinct turn: once its reply is in, the duplicate would be too

        Assert.Equal(2, _app.Connector.Calls.Count);
    }
}

/// <summary>The help fits its reader: their own commands first, the rest on demand, one command in full.</summary>
public sealed class HelpForTheReaderTests : IDisposable
{
    private readonly BotApp _app = new(new() { ["Roles:Coordinators:0"] = "u-coord" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Help_ForSomeoneWithNoRole_ShowsWhatEveryoneCanDo_AndNamesTheRest()
    {
        var reply = await _app.SayAsync("help", "u-nobody", "Nobody", "conv-nobody");

        Assert.Contains("you hold no role yet", reply);
        Assert.Contains("**Everyone**", reply);
        Assert.DoesNotContain("**Coordinator**", reply);
        Assert.DoesNotContain("`/close", reply);
        Assert.Contains("`help all` also lists the commands of Site admin, Provider, Repository, Technology unit and Coordinator.", reply);
        Assert.Contains("In a Teams channel or group chat, @mention me first: `@Rollout.Bot help`.", reply);
    }

    [Fact]
    public async Task Help_ForACoordinator_ShowsTheCoordinatorsCommands()
    {
        var reply = await _app.SayAsync("help", "u-coord", "Cora", "conv-coord");

        Assert.Contains("you are coordinator", reply);
        Assert.Contains("**Coordinator**", reply);
        Assert.Contains("`/close", reply);
        Assert.DoesNotContain("**Provider**", reply);
    }

    [Fact]
    public async Task HelpAll_ListsEveryGroup()
    {
        var reply = await _app.SayAsync("help all", "u-nobody", "Nobody", "conv-nobody");

        foreach (var group in new[] { "Everyone", "Site admin", "Provider", "Repository", "Technology unit", "Coordinator" })
            Assert.Contains($"**{group}**", reply);
    }

    [Theory]
    [InlineData("help accept")]
    [InlineData("help /accept")]
    public async Task HelpOneCommand_ShowsItInFull(string typed)
    {
        var reply = await _app.SayAsync(typed, "u-nobody", "Nobody", "conv-nobody");

        Assert.StartsWith("**/accept**: ", reply);
        Assert.Contains("(for site admins of early-adopter sites)", reply);
        Assert.Contains("- `/accept #N", reply);
    }

    [Fact]
    public async Task HelpForAnUnknownCommand_NamesTheClosest()
    {
        Assert.Contains("Did you mean `help accept`?", await _app.SayAsync("help acept", "u-nobody", "Nobody", "conv-nobody"));
    }

    [Fact]
    public async Task SentenceAfterAList_IsItsOwnParagraph_NotPartOfTheLastItem()
    {
        var reply = await _app.SayAsync("/channels", "u-coord", "Cora", "conv-coord");

        Assert.Contains("**Notice channels**\n\n- ", reply);
        Assert.Contains(": not bound\n\nStacks without an early-adopters channel:", reply);
    }
}
