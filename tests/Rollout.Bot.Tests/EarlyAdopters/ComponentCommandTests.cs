using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

public abstract class ComponentCommandTests(PostgresServer? postgres) : EngineTests(postgres)
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Rollout:Components:0:Name"] = "CREAM";
        settings["Rollout:Components:0:Stack"] = "glite";
        settings["Rollout:Components:1:Name"] = "Nagios";
        settings["Rollout:Components:1:Stack"] = "opstools";
        return settings;
    }

    [Fact]
    public async Task Catalogue_IsSeededFromConfigurationAtStartUp()
    {
        var components = await QueryAsync(db => db.Components.OrderBy(c => c.Name).ToListAsync());

        Assert.Equal(["CREAM", "Nagios"], components.Select(c => c.Name));
        Assert.All(components, c => Assert.Equal(ComponentCatalogue.ConfigurationUser, c.AddedBy));
    }

    [Fact]
    public async Task Components_ListsTheCatalogueByStackWithCoverageToAnyone()
    {
        await CoordinatorSays("/site add name=CESGA stack=glite");
        await CoordinatorSays("/commit site=CESGA component=CREAM");

        var reply = await App.SayAsync("/components", "u-bob", "Bob");

        Assert.Contains("- glite: CREAM (1 site)", reply);
        Assert.Contains("- opstools: Nagios (no site)", reply);
    }

    [Fact]
    public async Task ComponentAdd_ByCoordinator_AddsItAndItIsAVacancy()
    {
        var reply = await CoordinatorSays("/component add name=dCache stack=community");

        Assert.Contains("**dCache** (community) added to the catalogue", reply);
        Assert.Contains("- community: dCache", await App.SayAsync("/vacancies"));
    }

    [Fact]
    public async Task ComponentAdd_WithUnknownStackOrDuplicateOrWrongRole_IsRefused()
    {
        var badStack = await CoordinatorSays("/component add name=dCache stack=storage");
        var duplicate = await CoordinatorSays("/component add name=cream stack=glite");
        var wrongRole = await App.SayAsync("/component add name=dCache stack=community", "u-bob", "Bob");

        Assert.Contains("`stack=storage` is not a stack I know", badStack);
        Assert.Contains("**CREAM** is already in the catalogue (glite)", duplicate);
        Assert.Contains("Only coordinators can add a component", wrongRole);
        Assert.Equal(2, await QueryAsync(db => db.Components.CountAsync()));
    }

    [Fact]
    public async Task ComponentRetire_TakesItOffVacanciesAndAddBringsItBack()
    {
        var retired = await CoordinatorSays("/component retire name=nagios");
        var vacancies = await App.SayAsync("/vacancies");
        var back = await CoordinatorSays("/component add name=Nagios stack=opstools");

        Assert.Contains("**Nagios** is retired", retired);
        Assert.DoesNotContain("Nagios", vacancies);
        Assert.Contains("**Nagios** (opstools) is back in the catalogue", back);
        Assert.Null((await QueryAsync(db => db.Components.SingleAsync(c => c.Name == "Nagios"))).RetiredAt);
    }

    [Fact]
    public async Task ComponentRetire_WhenUnknownOrAlreadyRetiredOrWrongRole_IsRefused()
    {
        await CoordinatorSays("/component retire name=Nagios");

        var unknown = await CoordinatorSays("/component retire name=Nothing");
        var again = await CoordinatorSays("/component retire name=Nagios");
        var wrongRole = await App.SayAsync("/component retire name=CREAM", "u-bob", "Bob");

        Assert.Contains("**Nothing** is not in the catalogue", unknown);
        Assert.Contains("Usage: `/component retire name=…`", unknown);
        Assert.Contains("**Nagios** is already retired", again);
        Assert.Contains("Only coordinators can retire a component", wrongRole);
    }

    [Fact]
    public async Task EnsureAsync_AddsOnlyNewNamesInAnyCase()
    {
        var catalogue = App.Services.GetRequiredService<ComponentCatalogue>();

        var (fresh, known) = await QueryAsync(async db =>
        {
            var fresh = await catalogue.EnsureAsync(db, "ARC-CE", "arc", "u-release");
            var known = await catalogue.EnsureAsync(db, "cream", "glite", "u-release");
            var sameTwice = await catalogue.EnsureAsync(db, "arc-ce", "arc", "u-release");
            Assert.False(sameTwice);
            await db.SaveChangesAsync();
            return (fresh, known);
        });

        Assert.True(fresh);
        Assert.False(known);
        Assert.Equal(3, await QueryAsync(db => db.Components.CountAsync()));
    }
}

public sealed class ComponentCommandTestsOnSqlite() : ComponentCommandTests(null);

[Collection(PostgresCollection.Name)]
public sealed class ComponentCommandTestsOnPostgres(PostgresServer postgres) : ComponentCommandTests(postgres);
