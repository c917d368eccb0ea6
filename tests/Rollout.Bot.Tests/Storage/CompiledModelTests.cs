using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Storage;

/// <summary>
/// The bot runs on a compiled EF Core model per engine (bot/Storage/CompiledModels), generated from
/// RolloutDb.OnModelCreating. These fail when a mapping changed and the compiled model was not regenerated.
/// </summary>
public abstract class CompiledModelTests(PostgresServer? postgres) : EngineTests(postgres)
{
    public const string Regenerate = "bash bot/Storage/CompiledModels/regenerate.sh";

    private StorageProvider Provider => Engine == Engine.Postgres ? StorageProvider.Postgres : StorageProvider.Sqlite;

    [Fact]
    public async Task TheBot_RunsOnItsEnginesCompiledModel()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();

        Assert.Same(StorageSetup.CompiledModelOf(Provider), db.Model);
    }

    [Fact]
    public async Task CompiledModel_IsTheModelOnModelCreatingBuilds()
    {
        await using var running = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        await using var built = Built(running.Database.GetConnectionString()!, renameAColumn: false);

        var difference = Difference(running.Model, built.Model);

        Assert.True(difference is null,
            $"The compiled {Engine} model in bot/Storage/CompiledModels/{Engine} is stale: it differs from what " +
            $"RolloutDb.OnModelCreating builds ({difference}). Regenerate both engines' models with: {Regenerate}");
    }

    [Fact]
    public async Task StaleCheck_NoticesAColumnMappedDifferently()
    {
        // The check above is only worth something if a mapping change shows up in what it compares.
        await using var running = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        await using var renamed = Built(running.Database.GetConnectionString()!, renameAColumn: true);

        var difference = Difference(running.Model, renamed.Model);

        Assert.NotNull(difference);
        Assert.Contains("notes_url_renamed", difference);
    }

    /// <summary>A context configured as the bot's (StorageSetup.UseEngine) but building its model from OnModelCreating.</summary>
    private RolloutDb Built(string connectionString, bool renameAColumn)
    {
        var options = new DbContextOptionsBuilder<RolloutDb>();
        options.UseEngine(Provider, connectionString, compiledModel: false);
        if (renameAColumn) options.ReplaceService<IModelCustomizer, RenamesTicketNotesUrl>();
        return new RolloutDb(options.Options);
    }

    /// <summary>The first line where the two models' descriptions differ (entities, properties, keys, indexes,
    /// converters and column facets; then tables and columns), or null when they are the same.</summary>
    internal static string? Difference(IModel compiled, IModel built)
    {
        foreach (var (what, a, b) in new[]
                 {
                     ("model", compiled.ToDebugString(MetadataDebugStringOptions.LongDefault), built.ToDebugString(MetadataDebugStringOptions.LongDefault)),
                     ("tables and columns", compiled.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.LongDefault),
                         built.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.LongDefault)),
                 })
        {
            var left = a.Split('\n');
            var right = b.Split('\n');
            for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
            {
                var l = i < left.Length ? left[i].Trim() : "(nothing)";
                var r = i < right.Length ? right[i].Trim() : "(nothing)";
                if (l != r) return $"{what}, line {i + 1}: compiled has '{l}', OnModelCreating builds '{r}'";
            }
        }
        return null;
    }

    private sealed class RenamesTicketNotesUrl(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<Rollout.Bot.Tickets.Ticket>().Property(t => t.NotesUrl).HasColumnName("notes_url_renamed");
        }
    }
}

public sealed class CompiledModelTestsOnSqlite() : CompiledModelTests(null);

[Collection(PostgresCollection.Name)]
public sealed class CompiledModelTestsOnPostgres(PostgresServer postgres) : CompiledModelTests(postgres);
