using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Rollout.Bot.Hosting;

/// <summary>Tells the person who just ran the bot where to open it.</summary>
public static class StartupBanner
{
    public static void PrintUrlsWhenStarted(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Rollout.Bot");
            foreach (var address in addresses)
            {
                logger.LogInformation("Rollout.Bot is running. Open {Url}/ in a browser; the channel endpoint is {Url}/api/messages",
                    address.TrimEnd('/'), address.TrimEnd('/'));
            }
        });
    }
}
