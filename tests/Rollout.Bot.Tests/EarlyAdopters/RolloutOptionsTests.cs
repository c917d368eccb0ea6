using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

public sealed class RolloutOptionsTests
{
    [Fact]
    public void Stacks_WhenNotConfigured_AreTheSixDefaults()
    {
        using var app = new BotApp();

        var options = app.Services.GetRequiredService<IOptions<RolloutOptions>>().Value;

        Assert.Equal(["arc", "glite", "globus", "unicore", "opstools", "community"], options.Stacks);
    }

    [Fact]
    public void Stacks_WhenConfigured_ReplaceTheDefaults()
    {
        using var app = new BotApp(new() { ["Rollout:Stacks:0"] = "emi", ["Rollout:Stacks:1"] = "arc" });

        var options = app.Services.GetRequiredService<IOptions<RolloutOptions>>().Value;

        Assert.Equal(["emi", "arc"], options.Stacks);
    }

    [Fact]
    public void ComponentWithUnknownStack_StopsTheBotNamingTheKey()
    {
        using var app = new BotApp(new() { ["Rollout:Components:0:Name"] = "CREAM", ["Rollout:Components:0:Stack"] = "condor" });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Rollout:Components:0:Stack 'condor' is not one of Rollout:Stacks", error.Message);
    }

    [Fact]
    public void DuplicateComponentOrNamelessOne_StopsTheBot()
    {
        using var app = new BotApp(new()
        {
            ["Rollout:Components:0:Name"] = "CREAM", ["Rollout:Components:0:Stack"] = "glite",
            ["Rollout:Components:1:Name"] = "cream", ["Rollout:Components:1:Stack"] = "glite",
            ["Rollout:Components:2:Stack"] = "arc",
        });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Rollout:Components names 'CREAM' twice", error.Message);
        Assert.Contains("Rollout:Components:2:Name is missing", error.Message);
    }
}
