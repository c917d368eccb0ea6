using Rollout.Bot.Conversation;
using Rollout.Bot.Identity;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Identity;

/// <summary>The roles of a person's last sign-in count for them beside granted ones, on both engines (one caller query).</summary>
public abstract class SignInRoleTests(PostgresServer? postgres) : EngineTests(postgres)
{
    private const string Person = "oidc:aai.egi.eu:7a1b2c3d@egi.eu";

    private Task SignedInWith(params Role[] roles) => QueryAsync(db =>
        SignInRoles.ReplaceAsync(db, Person, roles.ToDictionary(r => r, r => "urn:group:" + r.ToName()), DateTimeOffset.UtcNow, CancellationToken.None)
            .ContinueWith(_ => 0, TaskScheduler.Default));

    private Task<string> WhoAmI() => App.SayAsync("/whoami", Person, "Erin Egi", "conv-erin");

    [Fact]
    public async Task SignInRoles_AndGrantedRoles_BothCount_AndTheNextSignInReplacesOnlyItsOwn()
    {
        await SignedInWith(Role.Coordinator, Role.Security);
        await CoordinatorSays($"/role grant user={Person} role=technology-unit");

        Assert.Contains("roles: coordinator, security, technology-unit", await WhoAmI());

        await SignedInWith();

        Assert.Contains("roles: technology-unit", await WhoAmI());
    }
}

public sealed class SignInRoleTestsOnSqlite() : SignInRoleTests(null);

[Collection(PostgresCollection.Name)]
public sealed class SignInRoleTestsOnPostgres(PostgresServer postgres) : SignInRoleTests(postgres);
