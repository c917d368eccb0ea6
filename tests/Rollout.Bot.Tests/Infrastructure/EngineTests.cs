using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tests.Infrastructure;

public enum Engine { Sqlite, Postgres }

/// <summary>
/// Base of tests that run on both storage engines: an abstract test class derives from it, and two sealed
/// subclasses pick the engine (the PostgreSQL one joins <see cref="PostgresCollection"/> to get the server).
/// Each test gets a fresh bot on a fresh database, with <c>u-coord</c> as the configured coordinator.
/// </summary>
public abstract class EngineTests(PostgresServer? postgres) : IAsyncLifetime
{
    public const string Coordinator = "u-coord";

    private BotApp? _app;

    protected Engine Engine => postgres is null ? Engine.Sqlite : Engine.Postgres;

    protected BotApp App => _app ?? throw new InvalidOperationException("The app starts in InitializeAsync.");

    /// <summary>Extra settings for the bot under test; override to add to them.</summary>
    protected virtual Dictionary<string, string?> Settings() => new() { ["Roles:Coordinators:0"] = Coordinator };

    public virtual async Task InitializeAsync()
    {
        var settings = Settings();
        if (postgres is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync();
        }
        _app = new BotApp(settings);
        _ = _app.Services; // starts the host: migrations run now, and a failure names the test that met it
    }

    public Task DisposeAsync()
    {
        _app?.Dispose();
        return Task.CompletedTask;
    }

    protected Task<string> CoordinatorSays(string text) => App.SayAsync(text, Coordinator, "Cora Coordinator", "conv-coord");

    /// <summary>Reads what the bot stored, through a fresh context of the app's own factory.</summary>
    protected async Task<T> QueryAsync<T>(Func<RolloutDb, Task<T>> query)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        return await query(db);
    }
}
