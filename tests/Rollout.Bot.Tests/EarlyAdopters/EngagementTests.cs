using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

public abstract class EngagementTests(PostgresServer? postgres) : EngineTests(postgres)
{
    private const string AnaJoins = "/join site=\"IFCA Santander\" name=\"Ana Pérez\" email=ana@ifca.es component=CREAM os=el9 arch=x86_64";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CoordinatorSays("/component add name=CREAM stack=glite");
    }

    private Task<string> AnaSays(string text) => App.SayAsync(text, "u-ana", "Ana", "conv-ana");

    [Fact]
    public async Task Join_ByAnyone_RecordsAPendingRequestWithTheirChatId()
    {
        var reply = await AnaSays(AnaJoins);

        Assert.Contains("Request **#1** to join **IFCA Santander** as Early Adopter of CREAM (el9/x86_64)", reply);
        var request = await QueryAsync(db => db.EngagementRequests.SingleAsync());
        Assert.Equal(("u-ana", "Ana Pérez", "ana@ifca.es", RequestState.Pending), (request.AdminUserId, request.AdminName, request.AdminEmail, request.State));
    }

    [Fact]
    public async Task Join_WithBadEmailUnknownComponentOrMissingName_IsRefusedAndNothingStored()
    {
        var reply = await AnaSays("/join site=IFCA email=ana-at-ifca component=WMS");

        Assert.Contains("`name=` is missing", reply);
        Assert.Contains("`email=ana-at-ifca` is not an e-mail address", reply);
        Assert.Contains("**WMS** is not in the component catalogue", reply);
        Assert.Contains("Usage: `/join site=…", reply);
        Assert.Equal(0, await QueryAsync(db => db.EngagementRequests.CountAsync()));
    }

    [Fact]
    public async Task Join_TwiceWhilePending_IsADuplicate()
    {
        await AnaSays(AnaJoins);

        var reply = await AnaSays(AnaJoins);

        Assert.Contains("You already asked to join IFCA Santander for CREAM", reply);
    }

    [Fact]
    public async Task Requests_ShowsPendingOnesToCoordinatorsOnly()
    {
        await AnaSays(AnaJoins);

        var coordinator = await CoordinatorSays("/requests");
        var ana = await AnaSays("/requests");

        Assert.Contains("**#1** IFCA Santander: Ana Pérez, ana@ifca.es (u-ana) for CREAM (el9/x86_64)", coordinator);
        Assert.Contains("Only coordinators can see the join requests", ana);
    }

    [Fact]
    public async Task Approve_CreatesSiteAdminAndCommitment_AndTheRequesterBecomesSiteAdmin()
    {
        await AnaSays(AnaJoins);

        var reply = await CoordinatorSays("/approve req=1");

        Assert.Contains("Request #1 approved: site **IFCA Santander** added (glite)", reply);
        var site = await QueryAsync(db => db.Sites.SingleAsync());
        var admin = await QueryAsync(db => db.SiteAdmins.SingleAsync());
        var commitment = await QueryAsync(db => db.Commitments.SingleAsync());
        Assert.Equal(("u-ana", "ana@ifca.es", site.Id), (admin.UserId, admin.Email, admin.SiteId));
        Assert.Equal(("CREAM", "el9", site.Id), (commitment.Component, commitment.Os, commitment.SiteId));
        Assert.Equal(RequestState.Approved, (await QueryAsync(db => db.EngagementRequests.SingleAsync())).State);
        Assert.Contains("site-admin of: IFCA Santander", await AnaSays("/whoami"));
    }

    [Fact]
    public async Task Approve_ForAnExistingSite_AddsOnlyWhatIsMissing()
    {
        await CoordinatorSays("/site add name=\"IFCA Santander\" stack=glite");
        await CoordinatorSays("/site admin name=\"IFCA Santander\" user=u-ana");
        await AnaSays(AnaJoins);

        var reply = await CoordinatorSays("/approve req=1");

        Assert.Equal("Request #1 approved: committed to CREAM (el9/x86_64).", reply);
        Assert.Equal(1, await QueryAsync(db => db.Sites.CountAsync()));
        Assert.Equal(1, await QueryAsync(db => db.SiteAdmins.CountAsync()));
    }

    [Fact]
    public async Task Approve_WithUnknownOrDecidedOrNonNumberRequest_OrWrongRole_IsRefused()
    {
        await AnaSays(AnaJoins);
        await CoordinatorSays("/decline req=1 reason=\"not a production site\"");

        var decided = await CoordinatorSays("/approve req=1");
        var unknown = await CoordinatorSays("/approve req=42");
        var notNumber = await CoordinatorSays("/approve req=first");
        var wrongRole = await AnaSays("/approve req=1");

        Assert.Contains("Request #1 was already declined by u-coord", decided);
        Assert.Contains("There is no request #42", unknown);
        Assert.Contains("`req=first` is not a number", notNumber);
        Assert.Contains("Usage: `/approve req=N`", notNumber);
        Assert.Contains("Only coordinators can approve a request", wrongRole);
        Assert.Equal(0, await QueryAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task Decline_RecordsTheReasonAndWhoDecided()
    {
        await AnaSays(AnaJoins);

        var reply = await CoordinatorSays("/decline req=#1 reason=\"not a production site\"");

        Assert.Contains("Request #1 (IFCA Santander, CREAM) declined: not a production site", reply);
        var request = await QueryAsync(db => db.EngagementRequests.SingleAsync());
        Assert.Equal((RequestState.Declined, "u-coord", "not a production site"), (request.State, request.DecidedBy, request.DeclineReason));
        Assert.NotNull(request.DecidedAt);
        Assert.Contains("No pending requests", await CoordinatorSays("/requests"));
    }

    [Fact]
    public async Task Decline_WithoutReasonOrByNonCoordinator_IsRefused()
    {
        await AnaSays(AnaJoins);

        var noReason = await CoordinatorSays("/decline req=1");
        var wrongRole = await AnaSays("/decline req=1 reason=no");

        Assert.Contains("`reason=` is missing", noReason);
        Assert.Contains("Only coordinators can decline a request", wrongRole);
        Assert.Equal(RequestState.Pending, (await QueryAsync(db => db.EngagementRequests.SingleAsync())).State);
    }
}

public sealed class EngagementTestsOnSqlite() : EngagementTests(null);

[Collection(PostgresCollection.Name)]
public sealed class EngagementTestsOnPostgres(PostgresServer postgres) : EngagementTests(postgres);
