using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.DirectLine;

namespace Rollout.Bot.Storage;

/// <summary>The bot's database, used directly by features. Each feature maps its own tables in its own file.</summary>
public sealed class RolloutDb(DbContextOptions<RolloutDb> options) : DbContext(options)
{
    public DbSet<StoredConversation> Conversations => Set<StoredConversation>();
    public DbSet<DirectLineConversationRow> DirectLineConversations => Set<DirectLineConversationRow>();
    public DbSet<DirectLineActivityRow> DirectLineActivities => Set<DirectLineActivityRow>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        StoredConversation.Map(model);
        DirectLineConversationRow.Map(model);
        DirectLineActivityRow.Map(model);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // SQLite has no instant type; UTC ticks in an INTEGER keep ordering and comparison in SQL.
        if (Database.IsSqlite())
        {
            conventions.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            conventions.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
