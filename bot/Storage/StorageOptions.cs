using System.ComponentModel.DataAnnotations;

namespace Rollout.Bot.Storage;

public enum StorageProvider { Sqlite, Postgres }

/// <summary>When a SQLite commit waits for the disk (see <see cref="SqlitePragmas"/>).</summary>
public enum SqliteSynchronous { Normal, Full }

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Sqlite (embedded default, one file under the data folder) or Postgres (several bot instances).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Empty means "rollout.db in the data folder" for SQLite; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite only. Normal (default): commits survive a killed process, the last ones may be lost on power loss.
    /// Full: every commit waits for the disk, and survives power loss too, at about a tenth of the write throughput.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;
}

/// <summary>Everything the bot keeps on disk lives under this folder (configuration key <c>DataFolder</c>).</summary>
public sealed class DataFolderOptions
{
    [Required(AllowEmptyStrings = false)]
    public string DataFolder { get; set; } = "data";

    public string FullPath => Path.GetFullPath(DataFolder);

    /// <summary>The connection string of a SQLite file in the data folder (the bot's database, Quartz's schedule).</summary>
    public string SqliteConnectionString(string fileName)
    {
        Directory.CreateDirectory(FullPath);
        return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(FullPath, fileName),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }
}
