using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Rollout.Bot.Protocol.Auth;

namespace Rollout.Bot.Protocol.DirectLine;

public static class DirectLineSetup
{
    public static IServiceCollection AddDirectLine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectLineOptions>().BindConfiguration(DirectLineOptions.Section)
            .Validate(o => o.TokenLifetimeSeconds is >= 60 and <= 86400, "DirectLine:TokenLifetimeSeconds must be between 60 and 86400.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.BotId), "DirectLine:BotId must not be empty.")
            .Validate(o => string.IsNullOrWhiteSpace(o.ServiceUrl) || Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out _),
                "DirectLine:ServiceUrl must be an absolute URL such as https://rollout.example.org.")
            .ValidateOnStart();
        services.TryAddSingleton<DirectLineTokens>();
        services.AddSingleton<DirectLineStore>();
        services.AddSingleton<DirectLineHttp>();
        services.TryAddSingleton<LocalChannel>();
        services.AddSingleton<DirectLineWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DirectLineWriter>());
        return services;
    }

    /// <summary>
    /// The local Direct Line endpoint, the Connector routes its conversations answer on, and the Web Chat
    /// page at <c>/</c>; nothing is mapped when the channel is off.
    /// </summary>
    public static WebApplication MapDirectLine(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DirectLineOptions>>().Value;
        var auth = app.Services.GetRequiredService<IOptions<BotAuthOptions>>().Value;
        if (!options.IsEnabled(auth)) return app;
        if (auth.AuthEnabled && string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            throw new InvalidOperationException("DirectLine:ServiceUrl must be set (the bot's public base URL) when DirectLine:Enabled " +
                "is true alongside a MicrosoftAppId; otherwise a client's Host header would decide where replies and the bot's token go.");
        }

        app.UseWebSockets();
        var group = app.MapGroup(DirectLineHttp.Prefix);
        DirectLineEndpoints.Map(group);
        DirectLineActivities.Map(group);
        DirectLineStream.Map(group);
        ConnectorEndpoints.Map(app);

        // The page lives in the project's wwwroot (development, tests) and in the build output (a bare dll run).
        var files = WebRoot(app.Environment);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }

    private static IFileProvider WebRoot(IWebHostEnvironment environment)
    {
        var built = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(built)
            ? new CompositeFileProvider(environment.WebRootFileProvider, new PhysicalFileProvider(built))
            : environment.WebRootFileProvider;
    }
}
