using Rollout.Bot.Hosting;
using Rollout.Bot.Operations;

namespace Rollout.Bot.Tests.Operations;

/// <summary>Runs an operator verb of the bot's executable in-process, on a test data folder, and keeps what it printed.</summary>
public sealed record OperatorRun(int ExitCode, string Output, string Error)
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Operations", "Fixtures", name);

    public static async Task<OperatorRun> RunAsync(string dataFolder, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] all = [.. args, $"--DataFolder={dataFolder}", "--Scheduling:Enabled=false"];
        var code = await OperatorCli.RunAsync(all, RolloutHost.Build, output, error);
        return new OperatorRun(code, output.ToString(), error.ToString());
    }

    public static string NewDataFolder() => Path.Combine(Path.GetTempPath(), "rollout-tests", Guid.NewGuid().ToString("N"));
}
