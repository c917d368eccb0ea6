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
            .ValidateOnStart();
        services.AddSingleton<DirectLineTokens>();
        services.AddSingleton<DirectLineStore>();
        services.AddSingleton<DirectLineHttp>();
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
        if (!options.IsEnabled(app.Services.GetRequiredService<IOptions<BotAuthOptions>>().Value)) return app;

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
