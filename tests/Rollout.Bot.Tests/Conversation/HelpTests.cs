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
    [InlineData("unbind operations", "Did you mean `/channel unbind`?")]
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
