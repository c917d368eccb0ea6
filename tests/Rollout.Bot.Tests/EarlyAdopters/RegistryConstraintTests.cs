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
    public async Task TenSitesCommittingAtOnceToANewComponent_AreAllKept()
    {
        for (var i = 0; i < 10; i++)
            await CoordinatorSays($"/site add name=S{i} stack=glite");

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => App.SayAsync($"/commit site=S{i} component=brandnew",
            Coordinator, "Cora Coordinator", $"conv-coord-{i}")));

        Assert.All(replies, r => Assert.Contains("is committed to brandnew", r));
        Assert.Equal(10, await QueryAsync(db => db.Commitments.CountAsync(c => c.Component == "brandnew")));
        Assert.Equal(1, await QueryAsync(db => db.Components.CountAsync(c => c.Name == "brandnew")));
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
