using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

public abstract class CommitmentCommandTests(PostgresServer? postgres) : EngineTests(postgres)
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CoordinatorSays("/site add name=CESGA stack=glite");
        await CoordinatorSays("/component add name=CREAM stack=glite");
    }

    [Fact]
    public async Task Commit_ToKnownComponent_StoresTheCommitmentWithOsAndArch()
    {
        var reply = await CoordinatorSays("/commit site=cesga component=cream os=el9 arch=x86_64");

        Assert.Equal("**CESGA** is committed to CREAM (el9/x86_64).", reply);
        var commitment = await QueryAsync(db => db.Commitments.SingleAsync());
        Assert.Equal(("CREAM", "el9", "x86_64"), (commitment.Component, commitment.Os, commitment.Arch));
        Assert.Null(commitment.EndedAt);
    }

    [Fact]
    public async Task Commit_ToNewComponent_AddsItToTheCatalogueWithTheSiteStackAndSaysSo()
    {
        var reply = await CoordinatorSays("/commit site=CESGA component=WMS");

        Assert.Contains("New component **WMS** (glite) added to the catalogue", reply);
        var component = await QueryAsync(db => db.Components.SingleAsync(c => c.Name == "WMS"));
        Assert.Equal(("glite", Coordinator), (component.Stack, component.AddedBy));
    }

    [Fact]
    public async Task Commit_Twice_IsADuplicateButAnotherOsIsNot()
    {
        await CoordinatorSays("/commit site=CESGA component=CREAM os=el9");

        var duplicate = await CoordinatorSays("/commit site=CESGA component=CREAM os=EL9");
        var otherOs = await CoordinatorSays("/commit site=CESGA component=CREAM os=el8");

        Assert.Contains("**CESGA** is already committed to CREAM (el9/any arch)", duplicate);
        Assert.Contains("is committed to CREAM (el8/any arch)", otherOs);
        Assert.Equal(2, await QueryAsync(db => db.Commitments.CountAsync()));
    }

    [Fact]
    public async Task Commit_WithUnknownSiteOrRetiredComponentOrWrongRole_IsRefusedAndChangesNothing()
    {
        await CoordinatorSays("/component retire name=CREAM");

        var unknownSite = await CoordinatorSays("/commit site=Nowhere component=Brand-New");
        var retired = await CoordinatorSays("/commit site=CESGA component=CREAM");
        var missing = await CoordinatorSays("/commit site=CESGA");
        var wrongRole = await App.SayAsync("/commit site=CESGA component=CREAM", "u-bob", "Bob");

        Assert.Contains("I know no site named **Nowhere**", unknownSite);
        Assert.Contains("**CREAM** is retired", retired);
        Assert.Contains("`component=` is missing", missing);
        Assert.Contains("Usage: `/commit site=… component=… [os=… arch=…] [new-component=yes]`", missing);
        Assert.Contains("Only coordinators can commit a site", wrongRole);
        Assert.Equal(0, await QueryAsync(db => db.Commitments.CountAsync()));
        Assert.False(await QueryAsync(db => db.Components.AnyAsync(c => c.Name == "Brand-New")));
    }

    [Fact]
    public async Task Uncommit_EndsTheCommitmentAndTheComponentBecomesAVacancyAgain()
    {
        await CoordinatorSays("/commit site=CESGA component=CREAM");
        Assert.Contains("No vacancies", await App.SayAsync("/vacancies"));

        var reply = await CoordinatorSays("/uncommit site=CESGA component=CREAM");

        Assert.Contains("**CESGA** is no longer committed to CREAM", reply);
        Assert.NotNull((await QueryAsync(db => db.Commitments.SingleAsync())).EndedAt);
        Assert.Contains("- glite: CREAM", await App.SayAsync("/vacancies"));
    }

    [Fact]
    public async Task Uncommit_WhenNotCommittedOrWrongRole_IsRefused()
    {
        var notCommitted = await CoordinatorSays("/uncommit site=CESGA component=CREAM");
        var wrongRole = await App.SayAsync("/uncommit site=CESGA component=CREAM", "u-bob", "Bob");

        Assert.Contains("**CESGA** is not committed to CREAM", notCommitted);
        Assert.Contains("Usage: `/uncommit site=… component=…`", notCommitted);
        Assert.Contains("Only coordinators can end a commitment", wrongRole);
    }

    [Fact]
    public async Task Vacancies_ListsOnlyActiveUncoveredComponentsByStack()
    {
        await CoordinatorSays("/component add name=ARC-CE stack=arc");
        await CoordinatorSays("/component add name=UNICORE-X stack=unicore");
        await CoordinatorSays("/component add name=Old-Thing stack=glite");
        await CoordinatorSays("/component retire name=Old-Thing");
        await CoordinatorSays("/commit site=CESGA component=CREAM");

        var reply = await App.SayAsync("/vacancies", "u-bob", "Bob");

        Assert.Contains("Vacancies", reply);
        Assert.Contains("- arc: ARC-CE", reply);
        Assert.Contains("- unicore: UNICORE-X", reply);
        Assert.DoesNotContain("CREAM", reply);
        Assert.DoesNotContain("Old-Thing", reply);
    }
}

public sealed class CommitmentCommandTestsOnSqlite() : CommitmentCommandTests(null);

[Collection(PostgresCollection.Name)]
public sealed class CommitmentCommandTestsOnPostgres(PostgresServer postgres) : CommitmentCommandTests(postgres);
