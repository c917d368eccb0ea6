using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.EarlyAdopters;

public sealed class RegistryHelpTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Help_ListsRegistryAndRoleCommandsUnderTheRoleThatUsesThem()
    {
        var reply = await _app.SayAsync("/help all");

        var everyone = reply.IndexOf("**Everyone**", StringComparison.Ordinal);
        var coordinator = reply.IndexOf("**Coordinator**", StringComparison.Ordinal);
        Assert.True(everyone >= 0 && coordinator > everyone, reply);
        foreach (var usage in new[] { "`/sites`", "`/components`", "`/vacancies`", "`/whoami`", "`/join site=" })
            Assert.InRange(reply.IndexOf(usage, StringComparison.Ordinal), everyone, coordinator);
        foreach (var usage in new[] { "`/site add", "`/site admin", "`/commit", "`/uncommit", "`/component add", "`/component retire",
                     "`/requests`", "`/approve", "`/decline", "`/role grant", "`/role revoke" })
            Assert.True(reply.IndexOf(usage, StringComparison.Ordinal) > coordinator, usage);
    }
}
