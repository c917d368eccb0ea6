using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>
/// The whole bot on a throw-away SQLite data folder (or on PostgreSQL when the settings say
/// <c>Storage:Provider=Postgres</c> and <c>Storage:ConnectionString</c>), with a fake channel behind the Connector seam.
/// </summary>
public sealed class BotApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public BotApp(Dictionary<string, string?>? settings = null, string? dataFolder = null)
    {
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        // Quartz stays off unless a test asks for it: feature code is tested directly, one test boots the engine.
        _settings = new Dictionary<string, string?> { ["DataFolder"] = DataFolder, ["Scheduling:Enabled"] = "false" };
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
    }

    public string DataFolder { get; }

    /// <summary>
    /// Leaves the data folder when disposed, for a test that owns it and opens it again. Deleting it under a later app
    /// on the same folder leaves that app's pooled SQLite connections on the deleted file and its new ones on an empty
    /// one ("no such table", now and then).
    /// </summary>
    public bool KeepDataFolder { get; init; }

    public FakeConnector Connector { get; } = new();

    /// <summary>Extra service registrations applied after the app's own (a fake clock, a test reminder rule).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IConnector>();
            services.AddSingleton<IConnector>(Connector);
            ExtraServices?.Invoke(services);
        });
    }

    public const string ServiceUrl = "https://channel.test/";

    /// <summary>An inbound message as a channel would post it.</summary>
    public static Activity Message(string text, string userId = "u-alice", string userName = "Alice",
        string conversationId = "conv-alice", bool isGroup = false, string? id = null) => new()
    {
        Type = ActivityTypes.Message,
        Id = id ?? Guid.NewGuid().ToString("N"),
        ChannelId = "test",
        ServiceUrl = ServiceUrl,
        From = new ChannelAccount { Id = userId, Name = userName },
        Recipient = new ChannelAccount { Id = "bot", Name = "Rollout.Bot" },
        Conversation = new ConversationAccount { Id = conversationId, IsGroup = isGroup },
        Text = text,
        Locale = "en-GB",
    };

    public async Task<HttpResponseMessage> PostAsync(Activity activity)
    {
        var client = CreateClient();
        return await client.PostAsync("/api/messages", JsonContent.Create(activity, options: ProtocolJson.Options));
    }

    /// <summary>
    /// Posts a message and returns the text of the reply that reached the channel in that conversation; notices the
    /// change caused (sent by the outbox at about the same moment) are skipped.
    /// </summary>
    public async Task<string> SayAsync(string text, string userId = "u-alice", string userName = "Alice",
        string conversationId = "conv-alice", bool isGroup = false)
    {
        var before = Connector.Calls.Count;
        var response = await PostAsync(Message(text, userId, userName, conversationId, isGroup));
        response.EnsureSuccessStatusCode();
        for (var count = before + 1; ; count++)
        {
            var calls = await Connector.WaitForCallsAsync(count);
            var (op, reply) = calls.Skip(before).FirstOrDefault(c => c.Op == "reply" && c.Activity.Conversation?.Id == conversationId);
            if (op is not null) return reply.Text ?? JsonSerializer.Serialize(reply.Attachments, ProtocolJson.Options);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // Pooled connections would hold the test database open until the server stops.
            if (_settings.GetValueOrDefault("Storage:Provider") == "Postgres" && _settings.GetValueOrDefault("Storage:ConnectionString") is { } pg)
                NpgsqlConnection.ClearPool(new NpgsqlConnection(pg));
            if (KeepDataFolder) return;
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
