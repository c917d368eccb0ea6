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
                options.UseEngine(StorageProvider.Postgres, storage.ConnectionString);
            }
            else
            {
                options.UseEngine(StorageProvider.Sqlite, SqliteConnectionString(storage, sp.GetRequiredService<IOptions<DataFolderOptions>>().Value));
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

    /// <summary>
    /// The engine's EF Core provider, and with <paramref name="compiledModel"/> that engine's compiled model (see
    /// CompiledModels/CompiledModels.cs) instead of building the model from <c>OnModelCreating</c> at the first query.
    /// Without it (design time, and the test that checks the compiled models are current) the model is built.
    /// Everything here that shapes the model is shared by all three, so they build the same model.
    /// </summary>
    internal static DbContextOptionsBuilder UseEngine(this DbContextOptionsBuilder options, StorageProvider provider,
        string? connectionString, bool compiledModel = true)
    {
        // Each engine in its own method: JIT-compiling one engine's path does not load the other engine's assemblies.
        if (provider == StorageProvider.Postgres) UsePostgres(options, connectionString, compiledModel);
        else UseSqlite(options, connectionString, compiledModel);
        return options;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UsePostgres(DbContextOptionsBuilder options, string? connectionString, bool compiledModel)
    {
        if (string.IsNullOrEmpty(connectionString)) options.UseNpgsql();
        else options.UseNpgsql(connectionString);
        if (compiledModel) options.UseModel(CompiledModelOf(StorageProvider.Postgres));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UseSqlite(DbContextOptionsBuilder options, string? connectionString, bool compiledModel)
    {
        options.UseSqlite(string.IsNullOrEmpty(connectionString) ? "Data Source=:memory:" : connectionString);
        if (compiledModel) options.UseModel(CompiledModelOf(StorageProvider.Sqlite));
    }

    /// <summary>The compiled model generated for <paramref name="provider"/> by CompiledModels/regenerate.sh.</summary>
    internal static Microsoft.EntityFrameworkCore.Metadata.IModel CompiledModelOf(StorageProvider provider) =>
#if WITHOUT_COMPILED_MODELS
        throw new InvalidOperationException("This build leaves the compiled models out (regenerate.sh's build): run a normal build.");
#else
        provider == StorageProvider.Postgres ? CompiledModels.Postgres.RolloutDbModel.Instance : CompiledModels.Sqlite.RolloutDbModel.Instance;
#endif

    private static readonly AfterCommitInterceptor AfterCommit = new();
    private static readonly SqlitePragmas NormalSync = new("NORMAL");
    private static readonly SqlitePragmas FullSync = new("FULL");

    public static string SqliteConnectionString(StorageOptions storage, DataFolderOptions data)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString)) return storage.ConnectionString;
        return data.SqliteConnectionString("rollout.db");
    }

    /// <summary>
    /// Builds EF Core's runtime model, with the relational model EF 10 no longer keeps in the compiled one and makes on
    /// first use (about 90 ms), on another thread while the schema is checked: the first query then finds it made.
    /// Needs no connection, so it does not wait for the migrations; await it before the host starts, so a model that
    /// cannot be built stops the bot at start-up as the first query would have.
    /// </summary>
    public static Task BuildStorageModelAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        return Task.Run(() =>
        {
            using var db = factory.CreateDbContext();
            _ = db.Model.GetRelationalModel();
        });
    }

    /// <summary>Brings the schema up to date before the bot takes its first request.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        await using var db = await factory.CreateDbContextAsync();
        await SchemaMigrator.MigrateAsync(db);
    }
}
