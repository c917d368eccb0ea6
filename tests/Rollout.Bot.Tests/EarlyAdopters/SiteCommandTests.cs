using Microsoft.EntityFrameworkCore;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

public abstract class SiteCommandTests(PostgresServer? postgres) : EngineTests(postgres)
{
    [Fact]
    public async Task SiteAdd_ByCoordinator_StoresTheSiteWithLevelAndTimeZone()
    {
        var reply = await CoordinatorSays("/site add name=CESGA stack=glite level=gold tz=Europe/Madrid");

        Assert.Contains("Site **CESGA** added", reply);
        var site = await QueryAsync(db => db.Sites.SingleAsync());
        Assert.Equal(("CESGA", "glite", "Europe/Madrid"), (site.Name, site.Stack, site.TimeZone));
        var level = await QueryAsync(db => db.Partnerships.SingleAsync());
        Assert.Equal((site.Id, PartnerLevel.Gold, true), (level.SiteId, level.Level, level.IsActive));
        Assert.Equal(TimeSpan.Zero, site.CreatedAt.Offset);
    }

    [Fact]
    public async Task SiteAdd_WithoutSlashAndQuotedName_Works()
    {
        var reply = await CoordinatorSays("site add name=\"INFN Bari\" stack=ARC");

        Assert.Contains("Site **INFN Bari** added (arc)", reply);
    }

    [Fact]
    public async Task SiteAdd_ByNonCoordinator_IsRefusedNamingTheRole()
    {
        var reply = await App.SayAsync("/site add name=CESGA stack=glite", "u-bob", "Bob");

        Assert.Contains("Only coordinators can add a site", reply);
        Assert.Equal(0, await QueryAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task SiteAdd_WithBadValues_ListsEveryProblemWithUsageAndChangesNothing()
    {
        var reply = await CoordinatorSays("/site add name=CESGA stack=condor level=bronze tz=Mars/Olympus");

        Assert.Contains("`stack=condor` is not a stack I know: arc, glite, globus, unicore, opstools, community", reply);
        Assert.Contains("`level=bronze` is not a partner level: silver, gold, platinum", reply);
        Assert.Contains("`tz=Mars/Olympus` is not a time zone", reply);
        Assert.Contains("Nothing was changed. Usage: `/site add name=", reply);
        Assert.Equal(0, await QueryAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task SiteAdd_WithMissingFieldsOrUnknownKey_SaysWhichAndShowsUsage()
    {
        var reply = await CoordinatorSays("/site add nmae=CESGA");

        Assert.Contains("`name=` is missing", reply);
        Assert.Contains("`stack=` is missing", reply);
        Assert.Contains("I don't know `nmae=` here", reply);
        Assert.Contains("`/site add name=… stack=…", reply);
    }

    [Fact]
    public async Task SiteAdd_WhenNameExistsInAnyCase_IsADuplicate()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite");

        var reply = await CoordinatorSays("/site add name=cesga stack=arc");

        Assert.Contains("A site named **CESGA** already exists", reply);
        Assert.Equal(1, await QueryAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task Site_WithUnknownOrMissingVerb_ShowsBothUsages()
    {
        var reply = await CoordinatorSays("/site demolish name=CESGA");

        Assert.Contains("`/site demolish` is not a thing I do", reply);
        Assert.Contains("`/site add name=", reply);
        Assert.Contains("`/site admin name=", reply);
    }

    [Fact]
    public async Task SiteAdmin_AddsAnAdminWhoThenIsSiteAdminOfThatSite()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite");

        var reply = await CoordinatorSays("/site admin name=CESGA user=u-ana email=ana@cesga.es display=\"Ana Pérez\"");
        var whoami = await App.SayAsync("/whoami", "u-ana", "Ana");

        Assert.Contains("Ana Pérez (u-ana, ana@cesga.es) is now an admin of **CESGA**", reply);
        Assert.Contains("site-admin", whoami);
        Assert.Contains("site-admin of: CESGA", whoami);
    }

    [Fact]
    public async Task SiteAdmin_WithUnknownSiteBadEmailOrDuplicate_IsRefused()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite");
        await CoordinatorSays("/site admin name=CESGA user=u-ana");

        var unknown = await CoordinatorSays("/site admin name=Nowhere user=u-ana email=not-an-address");
        var duplicate = await CoordinatorSays("/site admin name=CESGA user=u-ana");
        var refused = await App.SayAsync("/site admin name=CESGA user=u-eve", "u-eve", "Eve");

        Assert.Contains("I know no site named **Nowhere**", unknown);
        Assert.Contains("`email=not-an-address` is not an e-mail address", unknown);
        Assert.Contains("u-ana (u-ana) is already an admin of **CESGA** with those details: nothing changed", duplicate);
        Assert.Contains("Only coordinators can add or change a site admin", refused);
        Assert.Equal(1, await QueryAsync(db => db.SiteAdmins.CountAsync()));
    }

    [Fact]
    public async Task Sites_ListsSitesAdminsAndCommitmentsToAnyone_AndEmailsOnlyToCoordinators()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite level=silver");
        await CoordinatorSays("/site admin name=CESGA user=u-ana email=ana@cesga.es display=Ana");
        await CoordinatorSays("/component add name=CREAM stack=glite");
        await CoordinatorSays("/commit site=CESGA component=CREAM os=el9 arch=x86_64");

        var reply = await App.SayAsync("/sites", "u-bob", "Bob");

        Assert.Contains("**CESGA** — glite, silver", reply);
        Assert.Contains("admins: Ana (u-ana)", reply);
        Assert.DoesNotContain("ana@cesga.es", reply);
        Assert.Contains("committed to: CREAM (el9/x86_64)", reply);
        Assert.Contains("admins: Ana (u-ana, ana@cesga.es)", await CoordinatorSays("/sites"));
    }

    [Fact]
    public async Task Sites_WhenNone_SaysHowToJoin()
    {
        var reply = await App.SayAsync("/sites");

        Assert.Contains("No Early Adopter sites yet", reply);
        Assert.Contains("`/join`", reply);
    }
}

public sealed class SiteCommandTestsOnSqlite() : SiteCommandTests(null);

[Collection(PostgresCollection.Name)]
public sealed class SiteCommandTestsOnPostgres(PostgresServer postgres) : SiteCommandTests(postgres);
