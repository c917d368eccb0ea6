using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Rollout.Bot.Storage.CompiledModels;

/// <summary>
/// What <c>dotnet ef dbcontext optimize</c> builds the model from: the engine named after <c>--</c> (Sqlite or
/// Postgres), configured as the bot configures it but without a compiled model, so the model comes from
/// <c>OnModelCreating</c>. No database is opened. Used by regenerate.sh beside this file, never by the bot.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<RolloutDb>
{
    public RolloutDb CreateDbContext(string[] args)
    {
        if (args.Length != 1 || !Enum.TryParse<StorageProvider>(args[0], ignoreCase: true, out var provider))
        {
            throw new ArgumentException(
                $"Name the engine after '--': Sqlite or Postgres (got '{string.Join(' ', args)}'). See bot/Storage/CompiledModels/regenerate.sh.");
        }
        var options = new DbContextOptionsBuilder<RolloutDb>();
        options.UseEngine(provider, connectionString: null, compiledModel: false);
        return new RolloutDb(options.Options);
    }
}
