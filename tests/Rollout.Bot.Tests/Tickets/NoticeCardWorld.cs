using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Notices;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// The whole bot with the notices' fake channel, a cast (provider; technology unit, also repository manager so it
/// sees restricted tickets; Alice admin of Alpha,
/// committed to cream; Bob admin of Beta, not committed) and an early-adopters room for glite bound by a coordinator.
/// </summary>
public sealed partial class NoticeCardWorld : IDisposable
{
    public const string Coordinator = NoticesApp.Coordinator, Provider = "u-prov", TechUnit = "u-tu",
        Alice = "u-alice", Bob = "u-bob", Eve = "u-eve", Room = "conv-ea";

    public NoticesApp App { get; } = new();

    public void Dispose() => App.Dispose();

    public async Task CastAsync(bool bindRoom = true)
    {
        await using (var db = await App.DbAsync())
        {
            foreach (var (user, role) in new[] { (Provider, Role.Provider), (TechUnit, Role.Repository), (TechUnit, Role.TechnologyUnit) })
                db.RoleGrants.Add(new RoleGrant { UserId = user, Role = role, GrantedBy = Coordinator, GrantedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        await SiteAsync("Alpha", Alice, "cream");
        await SiteAsync("Beta", Bob);
        if (bindRoom)
            Assert.Contains("glite", await App.SayAsync("/channel bind early-adopters stack=glite", Coordinator, Room, isGroup: true));
    }

    public async Task SiteAsync(string name, string admin, params string[] components)
    {
        await using var db = await App.DbAsync();
        var site = new Site { Name = name, Stack = "glite", CreatedAt = DateTimeOffset.UtcNow };
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        db.SiteAdmins.Add(new SiteAdmin { SiteId = site.Id, UserId = admin, Name = admin, AddedAt = DateTimeOffset.UtcNow });
        foreach (var c in components) db.Commitments.Add(new Commitment { SiteId = site.Id, Component = c, CommittedAt = DateTimeOffset.UtcNow });
        // As /commit does: a component a site is committed to is in the catalogue.
        foreach (var c in components.Where(c => !db.Components.Any(x => x.Name.ToLower() == c.ToLower())))
            db.Components.Add(new Component { Name = c, Stack = "glite", AddedBy = Coordinator, AddedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task<long> VerifiedAsync(string extra = "")
    {
        var reply = await App.SayAsync("/release new component=cream version=1.2.3 stack=glite type=minor " +
            $"{TicketWorld.Links} {extra}", Provider, "conv-" + Provider);
        var match = NumberPattern().Match(reply);
        Assert.True(match.Success, reply);
        var n = long.Parse(match.Groups[1].Value);
        Assert.Contains("now unverified", await App.SayAsync($"/unverified #{n}", TechUnit, "conv-" + TechUnit));
        Assert.Contains("is verified", await App.SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TechUnit, "conv-" + TechUnit));
        return n;
    }

    /// <summary>The posted copies of the ticket's card, once the dispatcher has sent <paramref name="count"/> of them.</summary>
    public async Task<List<Rollout.Bot.Notices.PostedCard>> CopiesAsync(long n, int count)
    {
        await CardUpdateTests.WaitForCopiesAsync(App, count);
        await using var db = await App.DbAsync();
        return await db.PostedCards.AsNoTracking().Where(c => c.CardKey == $"ticket:{n}").ToListAsync();
    }

    /// <summary>An Action.Submit click as Web Chat posts it: a message with no text whose value is the data plus inputs.</summary>
    public async Task<string> SubmitAsync(string userId, object value, string conversation = Room, bool? isGroup = null) =>
        (await SubmitForReplyAsync(userId, value, conversation, isGroup)).Text ?? "";

    /// <summary>The same click; returns the whole answer (text and any card).</summary>
    public async Task<Activity> SubmitForReplyAsync(string userId, object value, string conversation = Room, bool? isGroup = null)
    {
        var group = isGroup ?? conversation == Room;
        // In a room the answer to a click is the clicker's alone: it reaches their personal chat, and the room reads a pointer.
        var personal = "conv-" + userId;
        if (group && _personal.Add(userId)) await App.SayAsync("/whoami", userId, personal);
        var sentBefore = App.Connector.Calls.Count(c => c.Op == "send" && c.ConversationId == personal);
        var before = App.Connector.Calls.Count(c => c.Op == "reply" && c.ConversationId == conversation);
        var click = BotApp.Message("", userId, userId, conversation, isGroup: group);
        click.Text = null;
        click.Value = ProtocolJson.ToElement(value);
        click.ChannelData = ProtocolJson.ToElement(new { postBack = true });
        await App.PostAsync(click);
        var calls = await App.Connector.WaitForAsync(all => all.Count(c => c.Op == "reply" && c.ConversationId == conversation) > before);
        var answer = calls.Where(c => c.Op == "reply" && c.ConversationId == conversation).ElementAt(before).Activity;
        if (!group) return answer;
        Assert.Contains("I answered you in our personal chat", answer.Text);
        calls = await App.Connector.WaitForAsync(all => all.Count(c => c.Op == "send" && c.ConversationId == personal) > sentBefore);
        return calls.Where(c => c.Op == "send" && c.ConversationId == personal).ElementAt(sentBefore).Activity;
    }

    private readonly HashSet<string> _personal = [];

    /// <summary>An Action.Execute click as Teams posts it; returns the invoke response body.</summary>
    public async Task<JsonElement> ExecuteAsync(string userId, string verb, object data, string conversation = Room)
    {
        var click = BotApp.Message("", userId, userId, conversation, isGroup: true);
        click.Type = ActivityTypes.Invoke;
        click.Name = "adaptiveCard/action";
        click.Text = null;
        click.Value = ProtocolJson.ToElement(new { action = new { type = "Action.Execute", verb, data }, trigger = "manual" });
        var response = await App.Factory.CreateClient().PostAsync("/api/messages", JsonContent.Create(click, options: ProtocolJson.Options));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// The message of an invoke answer that refused a click: Teams' error form (HTTP 200, statusCode 400,
    /// <c>application/vnd.microsoft.error</c>, <c>value.{code,message}</c>), which Teams shows to the clicker alone.
    /// </summary>
    public static string Refusal(JsonElement body, string code = "Refused")
    {
        Assert.Equal(400, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.error", body.GetProperty("type").GetString());
        Assert.Equal(code, body.GetProperty("value").GetProperty("code").GetString());
        return body.GetProperty("value").GetProperty("message").GetString()!;
    }

    public async Task<(string State, int Parts, int Done)> TicketAsync(long n)
    {
        await using var db = await App.DbAsync();
        var t = await db.Tickets.AsNoTracking().Include(x => x.Participations).SingleAsync(x => x.Id == n);
        return (t.State.ToString(), t.Participations.Count, t.Participations.Count(p => p.DoneAt != null));
    }

    [GeneratedRegex(@"Opened ticket #(\d+)")]
    private static partial Regex NumberPattern();
}
