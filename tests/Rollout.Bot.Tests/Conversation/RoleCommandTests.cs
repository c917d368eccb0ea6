using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Conversation;

public abstract class RoleCommandTests(PostgresServer? postgres) : EngineTests(postgres)
{
    [Fact]
    public async Task WhoAmI_ForAStranger_ShowsTheirIdAndNoRoles()
    {
        var reply = await App.SayAsync("/whoami", "u-bob", "Bob");

        Assert.Contains("You are **Bob**, chat user id `u-bob`", reply);
        Assert.Contains("roles: none yet", reply);
        Assert.Contains("site-admin of: no site", reply);
    }

    [Fact]
    public async Task WhoAmI_ForTheConfiguredCoordinator_ShowsCoordinator()
    {
        Assert.Contains("roles: coordinator", await CoordinatorSays("whoami"));
    }

    [Fact]
    public async Task RoleGrant_GivesTheRoleAndRevokeTakesItAwayKeepingHistory()
    {
        var granted = await CoordinatorSays("/role grant user=u-bob role=technology-unit");
        var bobWithRole = await App.SayAsync("/whoami", "u-bob", "Bob");
        var revoked = await CoordinatorSays("/role revoke user=u-bob role=technology-unit");
        var bobWithout = await App.SayAsync("/whoami", "u-bob", "Bob");

        Assert.Contains("u-bob now has the role **technology-unit**", granted);
        Assert.Contains("roles: technology-unit", bobWithRole);
        Assert.Contains("u-bob no longer has the role **technology-unit**", revoked);
        Assert.Contains("roles: none yet", bobWithout);
        var grant = await QueryAsync(db => db.RoleGrants.SingleAsync());
        Assert.Equal((Role.TechnologyUnit, Coordinator, Coordinator), (grant.Role, grant.GrantedBy, grant.RevokedBy));
    }

    [Fact]
    public async Task RoleGrant_Coordinator_LetsThemUseCoordinatorCommands()
    {
        await CoordinatorSays("/role grant user=u-bob role=coordinator");

        var reply = await App.SayAsync("/site add name=CESGA stack=glite", "u-bob", "Bob");

        Assert.Contains("Site **CESGA** added", reply);
    }

    [Fact]
    public async Task RoleGrant_SiteAdmin_AddsASiteAdminAndRevokeRemovesIt()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite");

        var granted = await CoordinatorSays("/role grant user=u-ana role=site-admin site=cesga");
        var asAdmin = await App.SayAsync("/whoami", "u-ana", "Ana");
        var revoked = await CoordinatorSays("/role revoke user=u-ana role=site-admin site=CESGA");

        Assert.Contains("u-ana is now a site-admin of **CESGA**", granted);
        Assert.Contains("site-admin of: CESGA", asAdmin);
        Assert.Contains("u-ana is no longer a site-admin of **CESGA**", revoked);
        Assert.NotNull((await QueryAsync(db => db.SiteAdmins.SingleAsync())).RemovedAt);
        Assert.Contains("site-admin of: no site", await App.SayAsync("/whoami", "u-ana", "Ana"));
    }

    [Fact]
    public async Task RoleGrant_WithBadInput_SaysWhatIsWrongAndShowsUsage()
    {
        var unknownRole = await CoordinatorSays("/role grant user=u-bob role=admin");
        var siteAdminWithoutSite = await CoordinatorSays("/role grant user=u-bob role=site-admin");
        var unknownSite = await CoordinatorSays("/role grant user=u-bob role=site-admin site=Nowhere");
        var siteWithOtherRole = await CoordinatorSays("/role grant user=u-bob role=security site=CESGA");
        var missingUser = await CoordinatorSays("/role grant role=security");

        Assert.Contains("`role=admin` is not a role: coordinator, technology-unit, repository, provider, site-admin, security", unknownRole);
        Assert.Contains("Usage: `/role grant user=… role=… [site=…]`", unknownRole);
        Assert.Contains("`site=` is missing: role=site-admin is given per site", siteAdminWithoutSite);
        Assert.Contains("I know no site named **Nowhere**", unknownSite);
        Assert.Contains("`site=` only goes with role=site-admin", siteWithOtherRole);
        Assert.Contains("`user=` is missing", missingUser);
        Assert.Equal(0, await QueryAsync(db => db.RoleGrants.CountAsync()));
    }

    [Fact]
    public async Task RoleGrant_Twice_OrToAConfiguredCoordinator_IsADuplicate()
    {
        await CoordinatorSays("/role grant user=u-bob role=security");

        var twice = await CoordinatorSays("/role grant user=u-bob role=security");
        var configured = await CoordinatorSays($"/role grant user={Coordinator} role=coordinator");

        Assert.Contains("u-bob already has the role security", twice);
        Assert.Contains("already a coordinator (from configuration, Roles:Coordinators)", configured);
        Assert.Equal(1, await QueryAsync(db => db.RoleGrants.CountAsync()));
    }

    [Fact]
    public async Task RoleRevoke_OfARoleNotHeldOrAConfiguredCoordinator_IsRefused()
    {
        var notHeld = await CoordinatorSays("/role revoke user=u-bob role=provider");
        var configured = await CoordinatorSays($"/role revoke user={Coordinator} role=coordinator");

        Assert.Contains("u-bob does not have the role provider", notHeld);
        Assert.Contains("Usage: `/role revoke user=… role=… [site=…]`", notHeld);
        Assert.Contains("remove them from Roles:Coordinators instead", configured);
    }

    [Fact]
    public async Task Role_ByNonCoordinator_IsRefusedEvenForThemselves()
    {
        var reply = await App.SayAsync("/role grant user=u-bob role=coordinator", "u-bob", "Bob");
        var unknownVerb = await CoordinatorSays("/role give user=u-bob role=security");

        Assert.Contains("Only coordinators can grant roles. You (u-bob) have no role", reply);
        Assert.Contains("`/role give` is not a thing I do", unknownVerb);
        Assert.Equal(0, await QueryAsync(db => db.RoleGrants.CountAsync()));
    }
}

public sealed class RoleCommandTestsOnSqlite() : RoleCommandTests(null);

[Collection(PostgresCollection.Name)]
public sealed class RoleCommandTestsOnPostgres(PostgresServer postgres) : RoleCommandTests(postgres);
