using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>A serviceUrl that takes requests and never answers delays only its own conversations' replies.</summary>
public sealed class OutboundIsolationTests
{
    private const string Hung = "https://hung.example/";
    private const string Good = "https://channel.test/";

    [Fact]
    public async Task RepliesToAHungServiceUrl_HoldOnlyItsShareOfSenders_AndTimeOut_WhileOtherChannelsGetTheirsAtOnce()
    {
        var options = Options.Create(new OutboundOptions
        {
            Senders = 8, MaxInFlightPerServiceUrl = 2, MaxBacklogPerServiceUrl = 100, SendTimeout = TimeSpan.FromMilliseconds(300),
        });
        var queue = new OutboundQueue(options);
        var connector = new HangingConnector(Hung);
        using var sender = new OutboundSender(queue, connector, options, NullLogger<OutboundSender>.Instance,
            new Rollout.Bot.Operations.BotMeters(new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider()
                .GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        await sender.StartAsync(CancellationToken.None);

        for (var i = 0; i < 40; i++) queue.Enqueue(Reply(Hung, $"attacker-{i}", "x"));
        queue.Enqueue(Reply(Good, "legit", "/whoami answer"));

        var answered = await connector.Answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("/whoami answer", answered.Text);
        Assert.InRange(connector.MaxHungAtOnce, 1, 2);
        // Turns from the good channel never wait for room while the hung one's replies time out one by one.
        Assert.True(queue.WaitForRoomAsync(Good, CancellationToken.None).IsCompleted);
        await sender.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AChannelWhoseBacklogIsFull_MakesOnlyItsOwnTurnsWaitForRoom()
    {
        var options = Options.Create(new OutboundOptions { MaxBacklog = 100, MaxBacklogPerServiceUrl = 3 });
        var queue = new OutboundQueue(options);
        for (var i = 0; i < 3; i++) queue.Enqueue(Reply(Hung, $"c{i}", "x"));

        var hungTurn = queue.WaitForRoomAsync(Hung, CancellationToken.None);
        Assert.False(hungTurn.IsCompleted);
        Assert.True(queue.WaitForRoomAsync(Good, CancellationToken.None).IsCompleted);

        Assert.True(queue.Ready.TryRead(out var conversation));
        queue.Complete(conversation!);
        await hungTurn.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static OutboundActivity Reply(string serviceUrl, string conversation, string text) => new(OutboundKind.Send, new Activity
    {
        Type = ActivityTypes.Message, ServiceUrl = serviceUrl, Text = text, Conversation = new ConversationAccount { Id = conversation },
    });

    /// <summary>Calls to <paramref name="hungUrl"/> wait until cancelled; the first call elsewhere completes <see cref="Answered"/>.</summary>
    private sealed class HangingConnector(string hungUrl) : IConnector
    {
        private int _hung;
        private int _max;

        public TaskCompletionSource<Activity> Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int MaxHungAtOnce => Volatile.Read(ref _max);

        public async Task<ResourceResponse> SendToConversationAsync(string serviceUrl, Activity activity, CancellationToken ct = default)
        {
            if (serviceUrl != hungUrl)
            {
                Answered.TrySetResult(activity);
                return new ResourceResponse { Id = "ok" };
            }
            var now = Interlocked.Increment(ref _hung);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen) { }
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
                return new ResourceResponse();
            }
            finally
            {
                Interlocked.Decrement(ref _hung);
            }
        }

        public Task<ResourceResponse> ReplyToActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
            SendToConversationAsync(serviceUrl, activity, ct);
        public Task<ResourceResponse> UpdateActivityAsync(string serviceUrl, Activity activity, CancellationToken ct = default) =>
            SendToConversationAsync(serviceUrl, activity, ct);
        public Task DeleteActivityAsync(string serviceUrl, string conversationId, string activityId, CancellationToken ct = default) =>
            Task.CompletedTask;
        public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken ct = default) =>
            Task.FromResult(new ConversationResourceResponse());
    }
}
