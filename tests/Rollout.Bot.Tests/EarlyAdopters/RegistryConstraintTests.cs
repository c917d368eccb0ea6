using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Protocol;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

/// <summary>
/// Two turns can both pass a handler's checks before either saves; the unique indexes of migration 0005 make the
/// second save fail, and DbErrors recognises that failure on both engines.
/// </summary>
public abstract class RegistryConstraintTests(PostgresServer? postgres) : EngineTests(postgres)
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private async Task<long> AddSiteAsync()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite");
        return await QueryAsync(db => db.Sites.Select(s => s.Id).SingleAsync());
    }

    private async Task<DbUpdateException?> SaveAsync(Action<RolloutDb> change)
    {
        try
        {
            await QueryAsync(async db =>
            {
                change(db);
                return await db.SaveChangesAsync();
            });
            return null;
        }
        catch (DbUpdateException error)
        {
            return error;
        }
    }

    [Fact]
    public async Task SecondActiveCommitmentToTheSameTarget_IsRefusedByTheDatabase()
    {
        var siteId = await AddSiteAsync();
        Commitment Cream(string os) => new() { SiteId = siteId, Component = "CREAM", Os = os, CommittedAt = At };

        Assert.Null(await SaveAsync(db => db.Commitments.Add(Cream("el9"))));
        var error = await SaveAsync(db => db.Commitments.Add(Cream("EL9")));

        Assert.NotNull(error);
        Assert.True(error.IsUniqueViolation());
    }

    [Fact]
    public async Task CommandSave_LosingARace_TellsTheUserNothingChanged()
    {
        var siteId = await AddSiteAsync();
        var turn = new TurnContext(BotApp.Message("/commit site=CESGA component=CREAM"), new OutboundQueue(Microsoft.Extensions.Options.Options.Create(new OutboundOptions())));
        var command = CommandParser.Parse(turn.Text).Command!;
        var ctx = new CommandContext(turn, command, App.Services, CancellationToken.None);
        await using var slower = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        slower.Commitments.Add(new() { SiteId = siteId, Component = "CREAM", CommittedAt = At });
        await SaveAsync(db => db.Commitments.Add(new() { SiteId = siteId, Component = "CREAM", CommittedAt = At }));

        var saved = await ctx.SaveAsync(slower);

        Assert.False(saved);
        Assert.Contains("Someone made the same change at the same moment, so `/commit` changed nothing", turn.Sent.Single().Text);
        Assert.Equal(1, await QueryAsync(db => db.Commitments.CountAsync()));
    }

    [Fact]
    public async Task EndedCommitment_DoesNotBlockCommittingAgain()
    {
        var siteId = await AddSiteAsync();

        Assert.Null(await SaveAsync(db => db.Commitments.Add(new() { SiteId = siteId, Component = "CREAM", CommittedAt = At, EndedAt = At })));
        Assert.Null(await SaveAsync(db => db.Commitments.Add(new() { SiteId = siteId, Component = "CREAM", CommittedAt = At })));
    }

    [Fact]
    public async Task ComponentNamesDifferingOnlyInCase_AreRefusedByTheDatabase()
    {
        Assert.Null(await SaveAsync(db => db.Components.Add(new() { Name = "CREAM", Stack = "glite", AddedBy = "t", AddedAt = At })));
        var error = await SaveAsync(db => db.Components.Add(new() { Name = "cream", Stack = "glite", AddedBy = "t", AddedAt = At }));

        Assert.True(error?.IsUniqueViolation());
    }

    [Fact]
    public async Task SecondActiveGrantOrSiteAdmin_IsRefusedByTheDatabase()
    {
        var siteId = await AddSiteAsync();
        RoleGrant Grant() => new() { UserId = "u-bob", Role = Role.Security, GrantedBy = Coordinator, GrantedAt = At };
        SiteAdmin Admin() => new() { SiteId = siteId, UserId = "u-ana", Name = "Ana", AddedAt = At };

        Assert.Null(await SaveAsync(db => db.RoleGrants.Add(Grant())));
        Assert.True((await SaveAsync(db => db.RoleGrants.Add(Grant())))?.IsUniqueViolation());
        Assert.Null(await SaveAsync(db => db.SiteAdmins.Add(Admin())));
        Assert.True((await SaveAsync(db => db.SiteAdmins.Add(Admin())))?.IsUniqueViolation());
    }

    [Fact]
    public async Task Timestamps_RoundTripAsTheSameUtcInstant()
    {
        var siteId = await AddSiteAsync();
        var committed = new DateTimeOffset(2026, 11, 2, 9, 30, 15, 123, TimeSpan.Zero);
        await SaveAsync(db => db.Commitments.Add(new() { SiteId = siteId, Component = "CREAM", CommittedAt = committed }));

        var stored = await QueryAsync(db => db.Commitments.Where(c => c.CommittedAt >= committed).SingleAsync());

        Assert.Equal(committed, stored.CommittedAt);
        Assert.Equal(TimeSpan.Zero, stored.CommittedAt.Offset);
    }
}

public sealed class RegistryConstraintTestsOnSqlite() : RegistryConstraintTests(null);

[Collection(PostgresCollection.Name)]
public sealed class RegistryConstraintTestsOnPostgres(PostgresServer postgres) : RegistryConstraintTests(postgres);
