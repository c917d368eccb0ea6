using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rollout.Bot.Identity;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Identity;

/// <summary>The WebChat:Oidc settings are checked at start-up, and the log says which identity mode the local channel is in.</summary>
public sealed class WebChatSignInOptionsTests
{
    private static WebChatSignInOptions Valid() => new()
    {
        Authority = "https://aai.egi.eu/auth/realms/egi", ClientId = "rollout", ClientSecret = "s",
        RolesClaim = "eduperson_entitlement", CoordinatorGroup = "urn:mace:egi.eu:group:rollout:role=coordinator",
    };

    [Theory]
    [InlineData("http://idp.example.org", "uses http: sign-in must use https")]
    [InlineData("idp.example.org", "is not an absolute https URL")]
    [InlineData("ftp://idp.example.org", "is not an absolute https URL")]
    public void AnAuthority_MustBeAnHttpsUrl(string authority, string expected)
    {
        var options = Valid();
        options.Authority = authority;

        Assert.Contains(options.Problems(directLineOn: true), p => p.StartsWith("WebChat:Oidc:Authority", StringComparison.Ordinal) && p.Contains(expected));
    }

    [Theory]
    [InlineData("http://localhost:8080/realms/test")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("http://[::1]:5000/")]
    [InlineData("https://login.microsoftonline.com/tenant/v2.0")]
    public void ALoopbackProvider_MayUseHttp(string authority)
    {
        var options = Valid();
        options.Authority = authority;

        Assert.Empty(options.Problems(directLineOn: true));
    }

    [Fact]
    public void EachMissingOrMismatchedKey_IsNamed()
    {
        Assert.Contains(new WebChatSignInOptions { Authority = "https://idp.example" }.Problems(true), p => p.StartsWith("WebChat:Oidc:ClientId is required"));
        Assert.Contains(new WebChatSignInOptions { ClientId = "x" }.Problems(true), p => p.StartsWith("WebChat:Oidc:ClientId is set but WebChat:Oidc:Authority is empty"));
        Assert.Contains(new WebChatSignInOptions { Authority = "https://idp.example", ClientId = "x", SecurityGroup = "csirt" }.Problems(true),
            p => p.Contains("need WebChat:Oidc:RolesClaim"));
        Assert.Contains(new WebChatSignInOptions { Authority = "https://idp.example", ClientId = "x", RolesClaim = "groups" }.Problems(true),
            p => p.Contains("neither WebChat:Oidc:CoordinatorGroup nor WebChat:Oidc:SecurityGroup"));
        Assert.Contains(Valid().Problems(directLineOn: false), p => p.Contains("set DirectLine:Enabled=true"));
        Assert.Empty(new WebChatSignInOptions().Problems(directLineOn: false));
    }

    [Fact]
    public void ABadSetting_StopsTheBotAtStartUp_NamingTheKey()
    {
        using var app = new BotApp(new() { ["WebChat:Oidc:Authority"] = "http://idp.example.org", ["WebChat:Oidc:ClientId"] = "rollout" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.Contains("WebChat:Oidc:Authority 'http://idp.example.org' uses http", error.Message);
    }

    [Theory]
    [InlineData(false, false, "clients choose their own user id")]
    [InlineData(true, false, "anonymous only")]
    [InlineData(true, true, "OpenID Connect sign-in at https://idp.example/")]
    [InlineData(false, true, "OpenID Connect sign-in at https://idp.example/")]
    public void TheStartUpLog_SaysWhichIdentityModeIsInForce(bool appId, bool oidc, string expected)
    {
        var logs = new LogCapture();
        var settings = new Dictionary<string, string?> { ["DirectLine:Enabled"] = "true" };
        if (appId)
        {
            settings["MicrosoftAppId"] = "bot-app-id";
            settings["MicrosoftAppPassword"] = "secret";
            settings["DirectLine:ServiceUrl"] = "https://bot.example";
        }
        if (oidc)
        {
            settings["WebChat:Oidc:Authority"] = "https://idp.example/";
            settings["WebChat:Oidc:ClientId"] = "rollout";
        }
        using var app = new BotApp(settings) { ExtraServices = s => s.AddSingleton<ILoggerProvider>(logs) };

        _ = app.Services;

        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Identity on the local channel: ", StringComparison.Ordinal) && e.Message.Contains(expected));
    }
}
