using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Rollout.Bot.Storage;

public static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataFolderOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage:ConnectionString is required when Storage:Provider is Postgres.")
            .ValidateOnStart();

        services.AddPooledDbContextFactory<RolloutDb>((sp, options) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.Provider == StorageProvider.Postgres)
            {
                options.UseNpgsql(storage.ConnectionString);
            }
            else
            {
                options.UseSqlite(SqliteConnectionString(storage, sp.GetRequiredService<IOptions<DataFolderOptions>>().Value));
                options.AddInterceptors(storage.SqliteSynchronous == SqliteSynchronous.Full ? FullSync : NormalSync);
            }
            options.AddInterceptors(AfterCommit);
            // A failed save is the caller's to judge: a unique key lost to a concurrent writer is retried by the command
            // pipeline and is no error; anything else is logged once, with its context, by whoever catches it.
            options.ConfigureWarnings(w => w.Log(
                (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Debug)));
        });
        return services;
    }

    private static readonly AfterCommitInterceptor AfterCommit = new();
    private static readonly SqlitePragmas NormalSync = new("NORMAL");
    private static readonly SqlitePragmas FullSync = new("FULL");

    public static string SqliteConnectionString(StorageOptions storage, DataFolderOptions data)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString)) return storage.ConnectionString;
        return data.SqliteConnectionString("rollout.db");
    }

    /// <summary>Brings the schema up to date before the bot takes its first request.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        await using var db = await factory.CreateDbContextAsync();
        await SchemaMigrator.MigrateAsync(db);
    }
}
