using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

public sealed class OutboundQueueTests
{
    private static OutboundActivity Reply(string conversation, string text) => new(OutboundKind.Send, new Activity
    {
        Type = ActivityTypes.Message, ServiceUrl = "https://channel.test/", Text = text,
        Conversation = new ConversationAccount { Id = conversation },
    });

    [Fact]
    public async Task Replies_InOneConversation_ArriveInOrder_WhileOtherConversationsGoInParallel()
    {
        var options = Options.Create(new OutboundOptions { Senders = 8 });
        var queue = new OutboundQueue(options);
        var connector = new FakeConnector();
        using var sender = new OutboundSender(queue, connector, options, NullLogger<OutboundSender>.Instance,
            new Rollout.Bot.Operations.BotMeters(new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider()
                .GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        await sender.StartAsync(CancellationToken.None);

        for (var i = 0; i < 50; i++)
        {
            queue.Enqueue(Reply("a", $"a{i}"));
            queue.Enqueue(Reply("b", $"b{i}"));
        }
        await connector.WaitForCallsAsync(100);
        await sender.StopAsync(CancellationToken.None);

        var texts = connector.Calls.Select(c => c.Activity.Text!).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"a{i}"), texts.Where(t => t[0] == 'a'));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"b{i}"), texts.Where(t => t[0] == 'b'));
        Assert.Equal(0, queue.Backlog);
    }

    [Fact]
    public async Task WaitForRoom_WhenBacklogIsFull_HoldsUntilASendCompletes()
    {
        var options = Options.Create(new OutboundOptions { Senders = 1, MaxBacklog = 2 });
        var queue = new OutboundQueue(options);
        queue.Enqueue(Reply("a", "1"));
        queue.Enqueue(Reply("a", "2"));

        var wait = queue.WaitForRoomAsync(CancellationToken.None);
        Assert.False(wait.IsCompleted);

        Assert.True(queue.Ready.TryRead(out var conversation));
        queue.Complete(conversation!);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.Backlog);
    }
}
