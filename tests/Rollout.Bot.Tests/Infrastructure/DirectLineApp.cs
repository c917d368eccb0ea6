using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Connector;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>
/// The whole bot with its real HTTP ConnectorClient, whose calls go to this same test server: a reply travels
/// bot → Connector routes → Direct Line conversation exactly as in production, without a socket.
/// </summary>
public sealed class DirectLineApp : WebApplicationFactory<Program>
{
    private readonly bool _ownsFolder;
    private readonly Dictionary<string, string?> _settings;

    public DirectLineApp(string? dataFolder = null, Dictionary<string, string?>? settings = null)
    {
        _ownsFolder = dataFolder is null;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
        // Quartz stays off, as in BotApp: these tests are about the channel.
        _settings = new Dictionary<string, string?> { ["DataFolder"] = DataFolder, ["Scheduling:Enabled"] = "false" };
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
    }

    public string DataFolder { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
            services.AddHttpClient<IConnector, ConnectorClient>()
                .ConfigurePrimaryHttpMessageHandler(() => new TestServerHandler(() => Server.CreateHandler())));
    }

    public DirectLineClient Client() => new(this);

    /// <summary>A client of the local Connector routes that presents the bot's own token, as its ConnectorClient does.</summary>
    public HttpClient BotClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            Services.GetRequiredService<Rollout.Bot.Protocol.DirectLine.LocalChannel>().BotToken());
        return client;
    }

    /// <summary>The connector is built while the host starts, before the test server exists: reach it on first use.</summary>
    private sealed class TestServerHandler(Func<HttpMessageHandler> create) : HttpMessageHandler
    {
        private readonly Lazy<HttpMessageInvoker> _server = new(() => new HttpMessageInvoker(create()));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            _server.Value.SendAsync(request, ct);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsFolder)
        {
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
