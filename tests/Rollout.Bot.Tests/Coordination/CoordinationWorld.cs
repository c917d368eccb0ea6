using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Scheduling;

namespace Rollout.Bot.Tests.Coordination;

/// <summary>
/// The bot with the configured (seed) meetings on a manual clock that starts on Tuesday 2026-12-01 10:00 in Zurich,
/// on SQLite or PostgreSQL. <c>u-coord</c> is a coordinator; <c>u-alice</c> has a role (provider), <c>u-nobody</c> none.
/// </summary>
public sealed class CoordinationWorld : IDisposable
{
    public const string Coordinator = "u-coord", Alice = "u-alice", Bob = "u-bob", Nobody = "u-nobody";

    private CoordinationWorld(BotApp app, ManualTimeProvider clock) => (App, Clock) = (app, clock);

    public BotApp App { get; }
    public ManualTimeProvider Clock { get; }

    public static async Task<CoordinationWorld> StartAsync(PostgresServer? postgres, string start = "2026-12-01 10:00")
    {
        var clock = new ManualTimeProvider(Zurich.At(start));
        var settings = new Dictionary<string, string?> { ["Roles:Coordinators:0"] = Coordinator };
        if (postgres is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync();
        }
        var app = new BotApp(settings)
        {
            ExtraServices = s =>
            {
                s.RemoveAll<TimeProvider>();
                s.AddSingleton<TimeProvider>(clock);
            },
        };
        var world = new CoordinationWorld(app, clock);
        await world.GrantAsync(Alice, Role.Provider);
        await world.GrantAsync(Bob, Role.Provider);
        return world;
    }

    public void Dispose() => App.Dispose();

    public static string Name(string userId) => userId switch
    {
        Coordinator => "Cora", Alice => "Alice", Bob => "Bob", _ => userId,
    };

    /// <summary>The reply to this very message (notices may reach the same person in between).</summary>
    public async Task<string> SayAsync(string text, string userId = Coordinator, string? conversation = null, bool isGroup = false)
    {
        var connector = App.Connector;
        var before = connector.Calls.Count;
        var message = BotApp.Message(text, userId, Name(userId), conversation ?? "conv-" + userId, isGroup);
        (await App.PostAsync(message)).EnsureSuccessStatusCode();
        for (var seen = before + 1; ; seen++)
        {
            var calls = await connector.WaitForCallsAsync(seen);
            var reply = calls.Skip(before).Select(c => c.Activity).FirstOrDefault(a => a.ReplyToId == message.Id);
            if (reply is not null) return reply.Text ?? System.Text.Json.JsonSerializer.Serialize(reply.Attachments);
        }
    }

    public async Task<T> DbAsync<T>(Func<RolloutDb, Task<T>> query)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync();
        return await query(db);
    }

    public Task GrantAsync(string userId, Role role) => DbAsync(async db =>
    {
        db.RoleGrants.Add(new RoleGrant { UserId = userId, Role = role, GrantedBy = "test", GrantedAt = Clock.GetUtcNow() });
        return await db.SaveChangesAsync();
    });

    /// <summary>A site in <paramref name="zone"/> administered by <paramref name="admin"/>, with its own holidays.</summary>
    public Task<long> SiteAsync(string name, string admin, string zone, params string[] holidays) => DbAsync(async db =>
    {
        var site = new Rollout.Bot.EarlyAdopters.Site { Name = name, Stack = "glite", TimeZone = zone, CreatedAt = Clock.GetUtcNow() };
        db.Sites.Add(site);
        await db.SaveChangesAsync();
        db.SiteAdmins.Add(new Rollout.Bot.EarlyAdopters.SiteAdmin { SiteId = site.Id, UserId = admin, Name = Name(admin), AddedAt = Clock.GetUtcNow() });
        foreach (var h in holidays)
            db.Holidays.Add(new Holiday { Date = DateOnly.Parse(h, System.Globalization.CultureInfo.InvariantCulture), Name = "site holiday", SiteId = site.Id, AddedBy = "test", AddedAt = Clock.GetUtcNow() });
        await db.SaveChangesAsync();
        return site.Id;
    });

    /// <summary>Moves the clock to a Zurich wall time and runs what Quartz would: the reminder sweep and the bulletin sweep.</summary>
    public async Task<int> RunAtAsync(string zurichLocal)
    {
        Clock.Set(Zurich.At(zurichLocal));
        var fired = await App.Services.GetRequiredService<ReminderRunner>().RunDueAsync(Clock.GetUtcNow());
        await App.Services.GetRequiredService<BulletinPoster>().RunDueAsync(Clock.GetUtcNow());
        return fired;
    }

    public Task<List<(string Key, string Recipient, string Payload)>> NoticesAsync(string keyPrefix) => DbAsync(async db =>
        (await db.Notices.AsNoTracking().Where(n => n.DedupeKey.StartsWith(keyPrefix)).OrderBy(n => n.Id)
            .Select(n => new { n.DedupeKey, n.Recipient, n.PayloadJson }).ToListAsync())
        .Select(n => (n.DedupeKey, n.Recipient, n.PayloadJson)).ToList());

    public async Task<string> GetAsync(string path)
    {
        var response = await App.CreateClient().GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
