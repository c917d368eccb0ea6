using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Notices;

/// <summary>
/// The whole bot (BotApp) with the notice tests' channel and, optionally, a manual clock. <c>u-coord</c> is the
/// configured coordinator. Keeping the data folder on dispose lets a second app start on the same database.
/// </summary>
public sealed class NoticesApp : IDisposable
{
    public const string Coordinator = "u-coord";

    private readonly BotApp _base;
    private readonly bool _keepData;

    public NoticesApp(FlakyConnector? connector = null, TimeProvider? clock = null, string? dataFolder = null,
        Dictionary<string, string?>? settings = null, bool keepData = false, bool worker = true)
    {
        var all = new Dictionary<string, string?> { ["Roles:Coordinators:0"] = Coordinator };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        _base = new BotApp(all, dataFolder);
        _keepData = keepData;
        Clock = clock;
        Connector = connector ?? new FlakyConnector(clock);
        Factory = _base.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            // Without its worker the app sends no notice by itself: tests that race their own dispatchers want no third one.
            if (!worker)
            {
                foreach (var hosted in services.Where(d => d.ImplementationType == typeof(OutboxWorker)).ToList()) services.Remove(hosted);
            }
            services.RemoveAll<IConnector>();
            services.AddSingleton<IConnector>(Connector);
            if (clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            }
        }));
    }

    public WebApplicationFactory<Program> Factory { get; }
    public FlakyConnector Connector { get; }
    public TimeProvider? Clock { get; }
    public string DataFolder => _base.DataFolder;

    public T Get<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public Task<RolloutDb> DbAsync() => Get<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();

    /// <summary>Posts an activity as a channel would; returns once the bot has answered the HTTP request.</summary>
    public async Task PostAsync(Activity activity)
    {
        var response = await Factory.CreateClient().PostAsync("/api/messages", JsonContent.Create(activity, options: ProtocolJson.Options));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Says something in a conversation and returns the bot's reply there.</summary>
    public async Task<string> SayAsync(string text, string userId = Coordinator, string conversationId = "conv-coord",
        bool isGroup = false, Action<Activity>? shape = null)
    {
        var before = Connector.Calls.Count(c => c.Op == "reply" && c.ConversationId == conversationId);
        var activity = BotApp.Message(text, userId, userId, conversationId, isGroup);
        shape?.Invoke(activity);
        await PostAsync(activity);
        var calls = await Connector.WaitForAsync(all => all.Count(c => c.Op == "reply" && c.ConversationId == conversationId) > before);
        return calls.Where(c => c.Op == "reply" && c.ConversationId == conversationId).ElementAt(before).Activity.Text ?? "";
    }

    /// <summary>Queues notices and commits them, as a feature does with its own change.</summary>
    public async Task AddAsync(params (string Key, NoticeRecipient To, string Text)[] notices)
    {
        await using var db = await DbAsync();
        var outbox = Get<Outbox>();
        foreach (var (key, to, text) in notices) await outbox.AddAsync(db, key, to, text);
        await db.SaveChangesAsync();
    }

    public async Task<Notice> NoticeAsync(string key)
    {
        await using var db = await DbAsync();
        return await db.Notices.AsNoTracking().SingleAsync(n => n.DedupeKey == key);
    }

    /// <summary>
    /// Runs dispatcher rounds here until <paramref name="condition"/> holds, so a test never waits for a poll interval.
    /// When the background dispatcher holds the claim, a round here has nothing to do: then give it a moment, within a
    /// bounded total, as the outcome is being written on another thread rather than waiting for time to pass.
    /// </summary>
    public async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var dispatcher = Get<OutboxDispatcher>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting: {what}.");
            var run = await dispatcher.RunOnceAsync();
            if (run.Handled == 0) await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        Factory.Dispose();
        if (!_keepData) _base.Dispose();
    }
}
