using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Operations;

public sealed class SiteImportTests : IDisposable
{
    private readonly string _data = OperatorRun.NewDataFolder();

    private async Task<T> QueryAsync<T>(Func<RolloutDb, Task<T>> query)
    {
        using var app = new BotApp(dataFolder: _data) { KeepDataFolder = true }; // the test owns it: Dispose below
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        return await query(db);
    }

    [Fact]
    public async Task ImportSites_TheMs402Table_AddsTwentyThreeSites_AndTheSameFileTwiceChangesNothing()
    {
        var first = await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("ms402-sites.csv"), "--by", "olga");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("23 site(s) added", first.Output);
        Assert.Contains("24 admin(s) added", first.Output);

        var counts = await QueryAsync(async db => (await db.Sites.CountAsync(), await db.SiteAdmins.CountAsync(),
            await db.Commitments.CountAsync(), await db.RegistryChanges.CountAsync()));
        Assert.Equal(23, counts.Item1);
        Assert.Equal(24, counts.Item2);
        Assert.Equal(40, counts.Item3);

        var second = await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("ms402-sites.csv"), "--by", "olga");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Nothing to change", second.Output);
        Assert.Equal(counts, await QueryAsync(async db => (await db.Sites.CountAsync(), await db.SiteAdmins.CountAsync(),
            await db.Commitments.CountAsync(), await db.RegistryChanges.CountAsync())));
    }

    [Fact]
    public async Task ImportSites_RecordsEachChangeWithTheOperator_AndTheBotShowsTheSites()
    {
        Assert.Equal(0, (await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("ms402-sites.csv"), "--by", "olga")).ExitCode);
        var changes = await QueryAsync(db => db.RegistryChanges.AsNoTracking().ToListAsync());
        Assert.All(changes, c => Assert.Equal("operator:olga", c.ByUserId));
        Assert.Contains(changes, c => c.What == "site added" && c.To == "unicore, Europe/Berlin");
        Assert.Contains(changes, c => c.What == "committed" && c.To == "DPM");
        Assert.Contains(changes, c => c.What == "admin added" && c.To == "u-cesga-2 (u-cesga-2)");

        using var app = new BotApp(new() { ["Roles:Coordinators:0"] = "u-coord" }, _data) { KeepDataFolder = true };
        var sites = await app.SayAsync("/sites", "u-coord", "Cora", "conv-coord");
        Assert.Contains("Early Adopter sites** (23)", sites);
        Assert.Contains("admin1@cesga.example.org", sites);
        var asAdmin = await app.SayAsync("/sites", "u-nikhef", "Nik", "conv-nik");
        Assert.DoesNotContain("admin1@cesga.example.org", asAdmin);
    }

    [Fact]
    public async Task ImportSites_WithBadLines_WritesNothing_AndNamesEveryLine()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, """
            name,stack,admin_user,admin_email,components
            GOOD-SITE,glite,u-good,good@example.org,CREAM
            BAD-STACK,gLight,u-x,x@example.org,CREAM
            BAD-MAIL,glite,u-y,not-an-address,WMS
            ,glite,u-z,z@example.org,BDII
            """);
        var run = await OperatorRun.RunAsync(_data, "import", "sites", file);
        File.Delete(file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Nothing was imported: 3 problem(s)", run.Error);
        Assert.True(run.Error.Contains("line 3: stack 'gLight' is not one I know"), run.Error);
        Assert.Contains("line 4: 'not-an-address' is not an e-mail address", run.Error);
        Assert.Contains("line 5: the site has no name", run.Error);
        Assert.Equal(0, await QueryAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task ImportSites_WithAWrongHeader_SaysWhichColumnsAreExpected()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hdr-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "site,stack,admin_user,admin_email,components\nX,glite,u,u@example.org,CREAM\n");
        var run = await OperatorRun.RunAsync(_data, "import", "sites", file);
        File.Delete(file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 1: the header lacks name", run.Error);
        Assert.Contains("unknown column(s) site", run.Error);
    }

    [Fact]
    public async Task ImportSites_AMovedSite_IsRefusedRatherThanMoved()
    {
        Assert.Equal(0, (await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("ms402-sites.csv"))).ExitCode);
        var file = Path.Combine(Path.GetTempPath(), $"move-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "name,stack,admin_user,admin_email,components\nNEW-ONE,glite,,,\ncesga,arc,,,\n");
        var run = await OperatorRun.RunAsync(_data, "import", "sites", file);
        File.Delete(file);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 3: CESGA is registered for glite, the file says arc", run.Error);
        Assert.Equal(23, await QueryAsync(db => db.Sites.CountAsync()));
    }

    [Fact]
    public async Task ImportSites_FromGocdbXml_TakesNamesAndTimeZones_WithTheStackGiven()
    {
        var without = await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("gocdb-site-list.xml"));
        Assert.Equal(1, without.ExitCode);
        Assert.Contains("--stack", without.Error);

        var run = await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("gocdb-site-list.xml"), "--stack", "glite");
        Assert.True(run.ExitCode == 0, run.Error);
        var sites = await QueryAsync(db => db.Sites.AsNoTracking().OrderBy(s => s.Name).ToListAsync());
        Assert.Equal(["CESGA", "INFN-T1", "UKI-LT2-QMUL"], sites.Select(s => s.Name));
        Assert.Equal("Europe/Rome", sites[1].TimeZone);
        Assert.All(sites, s => Assert.Equal("glite", s.Stack));
    }

    [Fact]
    public async Task ExportRegistry_AsCsv_ImportsIntoAnotherBotAsTheSameRegistry()
    {
        Assert.Equal(0, (await OperatorRun.RunAsync(_data, "import", "sites", OperatorRun.Fixture("ms402-sites.csv"))).ExitCode);
        var exported = await OperatorRun.RunAsync(_data, "export", "registry", "--format", "csv");
        Assert.Equal(0, exported.ExitCode);
        Assert.StartsWith("name,stack,admin_user,admin_email,components,level,tz", exported.Output);

        var other = OperatorRun.NewDataFolder();
        var file = Path.Combine(other + "-registry.csv");
        await File.WriteAllTextAsync(file, exported.Output);
        Assert.Equal(0, (await OperatorRun.RunAsync(other, "import", "sites", file)).ExitCode);
        var again = await OperatorRun.RunAsync(other, "export", "registry", "--format", "csv");
        Assert.Equal(exported.Output, again.Output);
        File.Delete(file);
        Directory.Delete(other, recursive: true);
    }

    [Fact]
    public async Task Export_AnUnknownKindOrFormat_IsAUsageErrorNamingTheChoices()
    {
        var run = await OperatorRun.RunAsync(_data, "export", "people", "--format", "xls");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("tickets", run.Error);
        Assert.Contains("csv", run.Error);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
