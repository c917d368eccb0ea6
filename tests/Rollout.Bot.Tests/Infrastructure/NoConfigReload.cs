using System.Runtime.CompilerServices;

namespace Rollout.Bot.Tests.Infrastructure;

/// <summary>
/// Every test host would otherwise watch its appsettings files, one inotify instance each; with test classes in
/// parallel (and other builds on the machine) the per-user limit of 128 runs out and hosts fail to start.
/// </summary>
internal static class NoConfigReload
{
    [ModuleInitializer]
    internal static void Init() => Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
