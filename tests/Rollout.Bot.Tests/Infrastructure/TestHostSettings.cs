using System.Runtime.CompilerServices;

namespace Rollout.Bot.Tests.Infrastructure;

internal static class TestHostSettings
{
    /// <summary>
    /// Every test host would otherwise watch appsettings*.json for changes, and the inotify instances (128 per user,
    /// shared with everything else on the machine) run out when many hosts start in parallel.
    /// </summary>
    [ModuleInitializer]
    internal static void DoNotWatchConfigFiles() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
