using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Auth;
using Rollout.Bot.Protocol.Connector;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Protocol;

/// <summary>
/// The real Connector as AddProtocol wires it, on a throw-away SQLite folder, with a fake channel and a fake
/// token endpoint behind HttpClientFactory and a manual clock, so retries and token expiry run without sleeping.
/// </summary>
public sealed class ConnectorHarness : IAsyncDisposable
{
    public const string AppId = "11111111-2222-3333-4444-555555555555";
    public const string TeamsServiceUrl = "https://smba.test/amer/";

    private readonly ServiceProvider _services;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));

    private ConnectorHarness(Dictionary<string, string?> settings, bool realChannelHttp)
    {
        settings["DataFolder"] = _folder;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddStorage(configuration);
        services.AddProtocol(configuration);
        if (!realChannelHttp)
            services.AddHttpClient(nameof(IConnector)).ConfigurePrimaryHttpMessageHandler(() => Channel).SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHttpClient(ConnectorTokenProvider.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => TokenEndpoint)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        _services = services.BuildServiceProvider();
        TokenEndpoint.Default = _ => RecordingHandler.Json(HttpStatusCode.OK,
            $$"""{"token_type":"Bearer","expires_in":3600,"access_token":"token-{{TokenEndpoint.Requests.Count}}"}""");
    }

    public ManualTimeProvider Clock { get; } = new();
    public RecordingHandler Channel { get; } = new();
    public RecordingHandler TokenEndpoint { get; } = new();
    public IConnector Connector => _services.GetRequiredService<IConnector>();

    /// <summary>
    /// A bot registered with an app id (tokens on), or in local mode when <paramref name="appId"/> is null. With
    /// <paramref name="realChannelHttp"/> the Connector keeps its production HTTP handler (for a channel on a real socket).
    /// </summary>
    public static async Task<ConnectorHarness> StartAsync(string? appId = AppId, Dictionary<string, string?>? settings = null,
        bool realChannelHttp = false)
    {
        var all = new Dictionary<string, string?>(settings ?? []);
        if (appId is not null)
        {
            all["MicrosoftAppId"] = appId;
            all["MicrosoftAppPassword"] = "s3cret&=";
            all["BotAuth:TokenEndpointBase"] = "https://login.test";
        }
        var harness = new ConnectorHarness(all, realChannelHttp);
        var factory = harness._services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        await using var db = await factory.CreateDbContextAsync();
        await SchemaMigrator.MigrateAsync(db);
        return harness;
    }

    /// <summary>What the adapter does after an activity passed authentication: its serviceUrl becomes trusted.</summary>
    public Task TrustAsync(string serviceUrl) =>
        _services.GetRequiredService<ConversationStore>().RememberAsync(Message(serviceUrl), authenticated: true, CancellationToken.None);

    public static Activity Message(string serviceUrl = TeamsServiceUrl, string conversationId = "19:abc@thread.tacv2;messageid=1") => new()
    {
        Type = ActivityTypes.Message,
        ChannelId = "msteams",
        ServiceUrl = serviceUrl,
        From = new ChannelAccount { Id = "28:" + AppId, Name = "Rollout.Bot" },
        Recipient = new ChannelAccount { Id = "29:user", Name = "Alice" },
        Conversation = new ConversationAccount { Id = conversationId, IsGroup = true },
        Text = "hello",
    };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
