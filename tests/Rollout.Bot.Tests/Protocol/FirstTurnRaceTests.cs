using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>
/// A new person's first turns arriving together (a double click, a burst after an outage) through the real endpoint:
/// the conversation and the person are stored once, and nothing is logged as an error.
/// </summary>
public sealed class FirstTurnRaceTests : IDisposable
{
    private readonly LogCapture _logs = new();
    private readonly BotApp _app;

    public FirstTurnRaceTests() => _app = new BotApp { ExtraServices = s => s.AddSingleton<ILoggerProvider>(_logs) };

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ConcurrentFirstTurnsOfANewPerson_StoreOneRowEach_AndLogNoError()
    {
        _app.CreateClient(); // start the host before the burst

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            _app.PostAsync(BotApp.Message("", "u-new", "New person", "conv-new", id: $"burst-{i}"))));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        await using var scope = _app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Conversations.CountAsync(c => c.ConversationId == "conv-new"));
        Assert.Equal(1, await db.UserConversations.CountAsync(u => u.UserId == "u-new"));
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
