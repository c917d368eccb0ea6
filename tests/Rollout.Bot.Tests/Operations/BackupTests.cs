using Microsoft.Data.Sqlite;
using Rollout.Bot.Notices;
using Rollout.Bot.Tests.Notices;

namespace Rollout.Bot.Tests.Operations;

public sealed class BackupTests : IDisposable
{
    private readonly string _backups = OperatorRun.NewDataFolder() + "-backups";

    public BackupTests() => Directory.CreateDirectory(_backups);

    private static long Count(string file, string table)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)count.ExecuteScalar()!;
    }

    [Fact]
    public async Task Backup_TakenUnderLoad_IsOneConsistentMoment_AndRestoresToTheSameCounts()
    {
        var clock = new ManualClock(); // the load's notices stay pending: nothing but the writes moves
        using var bot = new NoticesApp(clock: clock, keepData: true);
        bot.Connector.Fail = (_, _) => 503;
        using var stop = new CancellationTokenSource();
        var written = 0;
        // The load: transactions that each add a pair of notices, so any consistent copy holds an even number of them.
        var load = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await bot.AddAsync(($"load:{i}:a", NoticeRecipient.User("u-x"), "a"), ($"load:{i}:b", NoticeRecipient.User("u-x"), "b"));
                Interlocked.Increment(ref written);
            }
        });
        while (Volatile.Read(ref written) < 20) await Task.Delay(10);

        var file = Path.Combine(_backups, "under-load.db");
        var run = await OperatorRun.RunAsync(bot.DataFolder, "backup", file);
        var writtenAtBackup = Volatile.Read(ref written);
        while (Volatile.Read(ref written) < writtenAtBackup + 20) await Task.Delay(10); // the bot went on writing meanwhile
        await stop.CancelAsync();
        await load;
        Assert.True(run.ExitCode == 0, run.Error);

        var inBackup = Count(file, "notices");
        Assert.Equal(0, inBackup % 2);
        Assert.InRange(inBackup, 40, 2L * writtenAtBackup);
        Assert.Equal("ok", Integrity(file));

        // Restore onto a stopped bot's folder, and a bot started there finds exactly what the backup held.
        var target = OperatorRun.NewDataFolder();
        var restored = await OperatorRun.RunAsync(target, "restore", file);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Equal(inBackup, Count(Path.Combine(target, "rollout.db"), "notices"));
        using var after = new NoticesApp(dataFolder: target, clock: clock);
        await using var db = await after.DbAsync();
        Assert.Equal(inBackup, db.Notices.LongCount());
        bot.Dispose();
        Directory.Delete(bot.DataFolder, recursive: true);
    }

    [Fact]
    public async Task Restore_WhileABotRunsOnTheFolder_IsRefused_AndWorksOnceItStopped()
    {
        var bot = new NoticesApp(keepData: true);
        await bot.AddAsync(("before", NoticeRecipient.User("u-x"), "kept"));
        var file = Path.Combine(_backups, "live.db");
        Assert.Equal(0, (await OperatorRun.RunAsync(bot.DataFolder, "backup", file)).ExitCode);
        await bot.AddAsync(("after", NoticeRecipient.User("u-x"), "lost by the restore"));

        var refused = await OperatorRun.RunAsync(bot.DataFolder, "restore", file);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("A bot is running", refused.Error);
        Assert.Equal(2, Count(Path.Combine(bot.DataFolder, "rollout.db"), "notices"));

        bot.Dispose();
        var restored = await OperatorRun.RunAsync(bot.DataFolder, "restore", file);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Contains("kept as", restored.Output);
        Assert.Equal(1, Count(Path.Combine(bot.DataFolder, "rollout.db"), "notices"));
        Directory.Delete(bot.DataFolder, recursive: true);
    }

    [Fact]
    public async Task Backup_NeverOverwrites_AndRestoreRefusesAFileThatIsNoBackup()
    {
        using var bot = new NoticesApp();
        var file = Path.Combine(_backups, "exists.db");
        await File.WriteAllTextAsync(file, "not a database");
        var backup = await OperatorRun.RunAsync(bot.DataFolder, "backup", file);
        Assert.Equal(1, backup.ExitCode);
        Assert.Contains("never overwrites", backup.Error);

        var target = OperatorRun.NewDataFolder();
        var restore = await OperatorRun.RunAsync(target, "restore", file);
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("is not a usable backup", restore.Error);
    }

    private static string Integrity(string file)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        db.Open();
        using var check = db.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        return (string)check.ExecuteScalar()!;
    }

    public void Dispose()
    {
        try { Directory.Delete(_backups, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
