using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// The bot with a cast: a coordinator from configuration, role holders and early-adopter sites inserted straight
/// into the database (the registry commands are another feature's), and helpers to walk a ticket forward.
/// </summary>
public sealed partial class TicketWorld : IDisposable
{
    public const string Coordinator = "u-coord", Provider = "u-prov", Repository = "u-repo", TechUnit = "u-tu",
        Security = "u-sec", Alice = "u-alice", Bob = "u-bob", Eve = "u-eve";

    public TicketWorld(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? dataFolder = null)
    {
        var all = new Dictionary<string, string?> { ["Roles:Coordinators:0"] = Coordinator };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        App = new BotApp(all, dataFolder) { ExtraServices = services };
    }

    public BotApp App { get; }

    /// <summary>A world on SQLite, or on a fresh database of <paramref name="postgres"/> when one is given.</summary>
    public static async Task<TicketWorld> StartAsync(PostgresServer? postgres, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? []);
        if (postgres is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync();
        }
        var world = new TicketWorld(settings);
        _ = world.App.Services; // start now: migrations run before the first turn
        return world;
    }

    public void Dispose() => App.Dispose();

    public Task<string> SayAsync(string text, string userId) => App.SayAsync(text, userId, Names(userId), "conv-" + userId);

    public static string Names(string userId) => userId.Length > 2 ? char.ToUpperInvariant(userId[2]) + userId[3..] : userId;

    public async Task<T> DbAsync<T>(Func<RolloutDb, Task<T>> query)
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>();
        await using var db = await factory.CreateDbContextAsync();
        return await query(db);
    }

    public Task GrantAsync(string userId, Role role) => DbAsync(async db =>
    {
        db.RoleGrants.Add(new RoleGrant { UserId = userId, Role = role, GrantedBy = Coordinator, GrantedAt = DateTimeOffset.UtcNow });
        return await db.SaveChangesAsync();
    });

    /// <summary>The usual cast: provider, repository manager, technology unit, security, Alice (Alpha, committed to cream), Bob (Beta, not committed).</summary>
    public async Task CastAsync()
    {
        await GrantAsync(Provider, Role.Provider);
        await GrantAsync(Repository, Role.Repository);
        await GrantAsync(TechUnit, Role.TechnologyUnit);
        await GrantAsync(Security, Role.Security);
        await SiteAsync("Alpha", Alice, "cream");
        await SiteAsync("Beta", Bob);
    }

    public Task<long> SiteAsync(string name, string adminUserId, params string[] components) => DbAsync(async db =>
    {
        var site = new Site { Name = name, Stack = "glite", CreatedAt = DateTimeOffset.UtcNow };
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        db.SiteAdmins.Add(new SiteAdmin { SiteId = site.Id, UserId = adminUserId, Name = Names(adminUserId), AddedAt = DateTimeOffset.UtcNow });
        foreach (var component in components)
            db.Commitments.Add(new Commitment { SiteId = site.Id, Component = component, CommittedAt = DateTimeOffset.UtcNow });
        // As /commit does: a component a site is committed to is in the catalogue.
        foreach (var component in components.Where(c => !db.Components.Any(x => x.Name.ToLower() == c.ToLower())))
            db.Components.Add(new Component { Name = component, Stack = "glite", AddedBy = Coordinator, AddedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return site.Id;
    });

    public const string Links = "notes=https://rel.example.org/notes changelog=https://rel.example.org/changes cert=https://rel.example.org/cert";

    /// <summary>Opens a ticket as the provider and returns its number.</summary>
    public async Task<long> OpenAsync(string extra = "", string component = "cream", string type = "minor")
    {
        var reply = await SayAsync($"/release new component={component} version=1.2.3 stack=glite type={type} {Links} {extra}", Provider);
        var match = NumberPattern().Match(reply);
        Assert.True(match.Success, reply);
        return long.Parse(match.Groups[1].Value);
    }

    public async Task<long> VerifiedAsync(string extra = "", string type = "minor")
    {
        var n = await OpenAsync(extra, type: type);
        Assert.Contains("now unverified", await SayAsync($"/unverified #{n}", Repository));
        Assert.Contains("is verified", await SayAsync($"/verify #{n} repo=https://repo.example.org/sr/{n}", TechUnit));
        return n;
    }

    public async Task<long> RollingOutAsync(string extra = "")
    {
        var n = await VerifiedAsync(extra);
        Assert.Contains("accepted", await SayAsync($"/accept #{n}", Alice));
        return n;
    }

    /// <summary>Every notice queued about ticket <paramref name="n"/> (card updates to posted copies left out), oldest first.</summary>
    public Task<List<Told>> NoticesAsync(long n) => DbAsync(async db =>
        (await db.Notices.AsNoTracking().Where(x => x.DedupeKey.StartsWith($"ticket:{n}:") && !x.Recipient.StartsWith("copy:")).OrderBy(x => x.Id)
            .Select(x => new { x.DedupeKey, x.Recipient, x.PayloadJson }).ToListAsync())
        .Select(x => new Told(x.DedupeKey, x.Recipient, Rollout.Bot.Protocol.BotMessage.FromJson(x.PayloadJson))).ToList());

    /// <summary>Runs <paramref name="step"/> and returns the notices it queued about ticket <paramref name="n"/>.</summary>
    public async Task<List<Told>> ToldByAsync(long n, Func<Task> step)
    {
        var before = (await NoticesAsync(n)).Select(t => (t.Key, t.Recipient)).ToHashSet();
        await step();
        return (await NoticesAsync(n)).Where(t => !before.Contains((t.Key, t.Recipient))).ToList();
    }

    public Task<string> StateAsync(long n) => DbAsync(async db => (await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == n)).State.ToString());

    /// <summary>One queued notice: its key, who it is for, and what it says (text and card JSON together).</summary>
    public sealed record Told(string Key, string Recipient, Rollout.Bot.Protocol.BotMessage Message)
    {
        public string Text => Message.Text + string.Concat(Message.Cards.Select(c => c.GetRawText()));
    }

    [GeneratedRegex(@"Opened ticket #(\d+)")]
    private static partial Regex NumberPattern();
}
