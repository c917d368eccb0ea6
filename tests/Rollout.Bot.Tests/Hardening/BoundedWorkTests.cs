using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.DirectLine;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;
using Xunit.Abstractions;

namespace Rollout.Bot.Tests.Hardening;

/// <summary>No request costs more than its size (issue 12 item 9), and every limit is refused with a message naming it (item 11).</summary>
public sealed class BoundedWorkTests(ITestOutputHelper output) : IDisposable
{
    private readonly TicketWorld _w = new();

    public void Dispose() => _w.Dispose();

    /// <summary>Runs <paramref name="work"/> on the thread pool and fails when it has not finished within the budget.</summary>
    private async Task<long> WithinAsync(TimeSpan budget, Func<Task> work, string what)
    {
        var watch = Stopwatch.StartNew();
        var run = Task.Run(work);
        var finished = await Task.WhenAny(run, Task.Delay(budget));
        Assert.True(finished == run, $"{what} took longer than {budget.TotalSeconds} s");
        await run;
        output.WriteLine($"{what}: {watch.ElapsedMilliseconds} ms");
        return watch.ElapsedMilliseconds;
    }

    [Fact]
    public async Task StrippingTwoMegabytesOfUnclosedMentions_IsLinear()
    {
        var text = "/help " + string.Concat(Enumerable.Repeat("<at>", 512 * 1024));
        string cleaned = "";

        await WithinAsync(TimeSpan.FromSeconds(2), () => { cleaned = CommandParser.Clean(text); return Task.CompletedTask; }, "2 MB of <at>");

        Assert.StartsWith("help <at>", cleaned);
    }

    [Fact]
    public void ClosedMentionsAreStillStripped()
    {
        Assert.Equal("help", CommandParser.Clean("<at>Rollout Bot</at> /help <AT>x</AT>"));
        Assert.Equal("help <at>open", CommandParser.Clean("/help <at>open"));
    }

    [Fact]
    public async Task ATwoMegabyteMentionMessage_IsRefusedAtTheDoorWith413_Fast()
    {
        var text = "/help " + string.Concat(Enumerable.Repeat("<at>", 512 * 1024));
        HttpResponseMessage? response = null;

        await WithinAsync(TimeSpan.FromSeconds(5), async () => response = await _w.App.PostAsync(BotApp.Message(text)), "2 MB mention message");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response!.StatusCode);
        Assert.Contains("the limit is 262,144 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AMentionMessageJustUnderTheActivityLimit_IsAnsweredWithTheTextLimit_Fast()
    {
        var text = "/help " + string.Concat(Enumerable.Repeat("<at>", 60_000));
        string reply = "";

        await WithinAsync(TimeSpan.FromSeconds(5), async () => reply = await _w.App.SayAsync(text), "240 KB mention message");

        Assert.Contains("the limit is 16,000 characters", reply);
    }

    [Fact]
    public async Task AnUnknownHugeCommandWord_CostsNoEditDistance_AndIsNotEchoedWhole()
    {
        var word = new string('q', 15_000);
        string reply = "";

        await WithinAsync(TimeSpan.FromSeconds(5), async () => reply = await _w.App.SayAsync("/" + word), "15,000-character command word");

        Assert.Contains("I don't know '" + new string('q', Limits.EchoChars) + "…'", reply);
        Assert.True(reply.Length < 200, $"the reply is {reply.Length} characters");
        var registry = _w.App.Services.GetRequiredService<CommandRegistry>();
        await WithinAsync(TimeSpan.FromSeconds(1), () => { Assert.Null(registry.Closest(new string('q', 10_000_000))); return Task.CompletedTask; }, "10 MB did-you-mean");
    }

    [Fact]
    public async Task ALongSiteName_IsRefusedWithTheLimit()
    {
        var reply = await _w.SayAsync($"/join site={new string('S', 5_000)}", TicketWorld.Alice);

        Assert.Contains("The value of 'site' is 5,000 characters long; the limit is 100 characters", reply);
    }

    [Fact]
    public async Task ALongVersion_IsRefusedWithTheLimit_AndOpensNothing()
    {
        await _w.CastAsync();

        var reply = await _w.SayAsync($"/release new component=cream version={new string('9', 2_000)} stack=glite type=minor {TicketWorld.Links}", TicketWorld.Provider);

        Assert.Contains("The value of 'version' is 2,000 characters long; the limit is 100 characters", reply);
        Assert.Equal(0, await _w.DbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Tickets)));
    }

    [Fact]
    public async Task AHugeComment_IsRefusedWithTheTextLimit()
    {
        await _w.CastAsync();
        var n = await _w.OpenAsync();

        var reply = await _w.SayAsync($"/comment #{n} {new string('c', 20_000)}", TicketWorld.Provider);

        Assert.Contains("Your message is 20,0", reply);
        Assert.Contains("the limit is 16,000 characters", reply);
    }

    [Fact]
    public async Task AnOversizedConversationReference_IsRefusedWith400()
    {
        var activity = BotApp.Message("/help");
        activity.Conversation!.Name = new string('n', 10_000);

        var response = await _w.App.PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the limit is 4,096 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnOverlongConversationId_IsRefusedWith400()
    {
        var response = await _w.App.PostAsync(BotApp.Message("/help", conversationId: new string('c', 600)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 512 characters", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The local Direct Line refuses oversized activities and keeps a bounded number of bytes in memory.</summary>
public sealed class DirectLineLimitTests : IDisposable
{
    private readonly DirectLineApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ATenMegabyteEvent_IsRefusedWith413()
    {
        var client = await _app.Client().JoinAsync("alice");

        var response = await client.PostAsync(new { type = "event", name = "x", value = new string('v', 10 * 1024 * 1024) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("the limit is 262,144 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheMemoryWindowOfAConversation_StaysUnderItsByteLimit_AndOlderActivitiesAreStillServed()
    {
        var client = await _app.Client().JoinAsync("alice");
        for (var i = 0; i < 30; i++)
            (await client.PostAsync(new { type = "event", name = "big", value = new string((char)('a' + i % 26), 200_000) })).EnsureSuccessStatusCode();

        var conversation = (await _app.Services.GetRequiredService<DirectLineStore>().FindAsync(client.ConversationId, CancellationToken.None))!;
        Assert.True(conversation.RetainedBytes <= Limits.DirectLineRetainedBytes, $"{conversation.RetainedBytes} bytes kept in memory");
        // What left memory comes from the database, written behind: read on from the watermark until all are there.
        var seen = 0;
        string? watermark = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); seen < 30 && DateTime.UtcNow < deadline;)
        {
            var (page, next) = await client.ActivitiesAsync(watermark);
            seen += page.Count(a => a.Name == "big");
            if (next == watermark) await Task.Delay(50);
            watermark = next;
        }
        Assert.Equal(30, seen);
    }
}
