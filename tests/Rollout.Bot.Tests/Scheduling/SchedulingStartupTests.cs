using Microsoft.Extensions.Options;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Scheduling;

public sealed class SchedulingStartupTests
{
    [Fact]
    public void BadSchedulingConfiguration_StopsTheBotNamingTheKey()
    {
        using var app = new BotApp(new()
        {
            ["Scheduling:TimeZone"] = "Mars/Olympus",
            ["Scheduling:Meetings:1:Day"] = "Funday",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.Contains("Scheduling:TimeZone 'Mars/Olympus'", error.Message);
        Assert.Contains("Scheduling:Meetings:1:Day 'Funday'", error.Message);
    }

    [Fact]
    public async Task Help_ListsTheSchedulingCommandsUnderTheirRoles()
    {
        using var app = new BotApp();

        var help = await app.SayAsync("/help all");

        Assert.Contains("`/calendar [site=NAME]`", help);
        Assert.Contains("`/meetings`", help);
        Assert.Contains("`/holiday add 2026-12-24 \"Annual closure\" [site=NAME]`", help);
        Assert.Contains("`/bulletin preview [meeting=\"NAME\"]`", help);
    }
}
