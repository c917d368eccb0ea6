using Microsoft.Extensions.Options;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Operations;

/// <summary>
/// How <c>restore</c> knows a bot is running on the data folder: every running bot holds a shared lock on
/// <c>DATA/rollout.lock</c> (several may, as tests and a restart overlap do), and restore needs the exclusive one.
/// The operating system drops the lock with the process, so a crashed bot leaves no stale "running" mark behind, as a
/// pid file would. (.NET takes these as flock(2) locks on Linux; DOTNET_SYSTEM_IO_DISABLEFILELOCKING turns them off.)
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    public const string FileName = "rollout.lock";

    private readonly FileStream _held;

    public DataFolderLock(IOptions<DataFolderOptions> data)
    {
        Directory.CreateDirectory(data.Value.FullPath);
        _held = new FileStream(Path.Combine(data.Value.FullPath, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
    }

    /// <summary>The exclusive lock, or null when a bot holds the folder; dispose it to let bots start again.</summary>
    public static FileStream? TryTakeExclusive(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        try
        {
            return new FileStream(Path.Combine(dataFolder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _held.Dispose();
}
