using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>Acceptance nags reach the admins who have not answered: @mentioned in the channel, in their own chat, or the coordinators hear who could not be reached.</summary>
public sealed class NagReachTests : IDisposable
{
    private readonly TimerWorld _t = new();
    private TicketWorld W => _t.World;

    public void Dispose() => _t.Dispose();

    [Fact]
    public async Task ChannelNag_MentionsTheAdminsWhoHaveNotAnswered_ByTheNameKeptFromTheirOwnMessages()
    {
        await W.CastAsync();
        await W.SiteAsync("Gamma", TicketWorld.Eve, "cream");
        await W.App.SayAsync("/whoami", TicketWorld.Alice, "Alice Liddell", "conv-" + TicketWorld.Alice);
        var n = await W.VerifiedAsync();

        await _t.RunAtAsync("2026-11-24 10:00");

        var nag = BotMessage.FromJson(await _t.TextAsync($"ticket:{n}:acceptance-nag:1", "channel:early-adopters/glite"));
        Assert.Equal([new Person(TicketWorld.Alice, "Alice Liddell"), new Person(TicketWorld.Eve, "Eve")], nag.Mentions.OrderBy(p => p.Id));
        Assert.Contains($"Alpha: {BotMessage.Mention(TicketWorld.Alice)}; Gamma: {BotMessage.Mention(TicketWorld.Eve)}: please `/accept #{n}`", nag.Text);
    }

    [Fact]
    public async Task Escalation_SaysWhoCouldNotBeReached()
    {
        await W.CastAsync();
        await W.SiteAsync("Gamma", TicketWorld.Eve, "cream");
        await W.App.SayAsync("/whoami", TicketWorld.Alice, "Alice", "conv-" + TicketWorld.Alice);
        var n = await W.VerifiedAsync();

        await _t.RunAtAsync("2026-11-24 10:00");

        var escalation = BotMessage.FromJson(await _t.TextAsync($"ticket:{n}:acceptance-escalation", "channel:operations")).Text;
        Assert.Contains("The nag could not reach Eve (u-eve) of Gamma: they have never written to the bot", escalation);
        Assert.DoesNotContain("Alice (u-alice)", escalation);
    }

    [Fact]
    public async Task TeamsAdminNeverHeard_IsReachedByOpeningAPersonalChatInTheTenant()
    {
        await W.CastAsync();
        await W.SiteAsync("Zeta", "29:zoe", "cream");
        // The bot is in one Teams channel of the tenant (any Teams turn tells it where the tenant's service is).
        var inTeams = BotApp.Message("/whoami", "29:coord", "Cora", "19:ea@thread.tacv2;messageid=1", isGroup: true);
        inTeams.ChannelId = PersonalConversations.Teams;
        inTeams.Conversation!.TenantId = "tenant-1";
        inTeams.Conversation.ConversationType = "channel";
        inTeams.Recipient = new ChannelAccount { Id = "28:bot", Name = "Rollout.Bot" };
        (await W.App.PostAsync(inTeams)).EnsureSuccessStatusCode();
        await W.App.Connector.WaitForCallsAsync(1);

        await using var db = await W.App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        var route = (await NoticeDelivery.PeopleAsync(db, ["29:zoe", "u-nobody"], CancellationToken.None));
        Assert.Equal(DeliveryMode.CreatePersonal, route["29:zoe"]!.Mode);
        Assert.Equal("tenant-1", route["29:zoe"]!.TenantId);
        Assert.Equal("28:bot", route["29:zoe"]!.Bot!.Id);
        Assert.Null(route["u-nobody"]);
    }
}
