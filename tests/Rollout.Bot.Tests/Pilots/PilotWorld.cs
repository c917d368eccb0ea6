using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Pilots;
using Rollout.Bot.Protocol;
using Rollout.Bot.Protocol.Schema;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Tickets;

namespace Rollout.Bot.Tests.Pilots;

/// <summary>
/// A pilot world on the manual clock of <see cref="TimerWorld"/> (Monday 2026-11-23 10:00 Zurich), on SQLite or a fresh
/// PostgreSQL database: a coordinator, Gold sites with their admins, a VO contact, and helpers to read what was queued.
/// </summary>
public sealed class PilotWorld : IDisposable
{
    public const string Coordinator = TicketWorld.Coordinator, Pia = "u-pia", Vo = "u-vova", Alice = TicketWorld.Alice, Bob = TicketWorld.Bob,
        Eve = TicketWorld.Eve, Carl = "u-carl";

    private PilotWorld(TimerWorld timers) => Timers = timers;

    public TimerWorld Timers { get; }
    public TicketWorld World => Timers.World;
    public BotApp App => World.App;

    public static async Task<PilotWorld> StartAsync(PostgresServer? postgres)
    {
        var settings = new Dictionary<string, string?>();
        if (postgres is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync();
        }
        var world = new PilotWorld(new TimerWorld(settings));
        _ = world.App.Services;
        return world;
    }

    public void Dispose() => Timers.Dispose();

    public Task<string> SayAsync(string text, string userId) => Timers.SayAsync(text, userId);

    /// <summary>A site with an admin, optionally committed to components; the level is registered through the admin's own command.</summary>
    public async Task<long> PartnerAsync(string name, string admin, string? levels, string? tz = null, params string[] components)
    {
        var id = await World.SiteAsync(name, admin, components);
        if (tz is not null) await World.DbAsync(db => db.Sites.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.TimeZone, tz)));
        if (levels is not null) Assert.Contains("pilot partner levels", await SayAsync($"/partner set site={name} levels={levels}", admin));
        return id;
    }

    /// <summary>Every notice queued about pilot <paramref name="n"/> (card updates left out), oldest first.</summary>
    public Task<List<TicketWorld.Told>> NoticesAsync(long n, string? contains = null) => World.DbAsync(async db =>
        (await db.Notices.AsNoTracking().Where(x => x.DedupeKey.StartsWith($"pilot:{n}:") && !x.Recipient.StartsWith("copy:")).OrderBy(x => x.Id)
            .Select(x => new { x.DedupeKey, x.Recipient, x.PayloadJson }).ToListAsync())
        .Select(x => new TicketWorld.Told(x.DedupeKey, x.Recipient, BotMessage.FromJson(x.PayloadJson)))
        .Where(t => contains is null || t.Key.Contains(contains)).ToList());

    public Task<List<Reminder>> PendingAsync(long n, string rule) => World.DbAsync(db =>
        db.Reminders.AsNoTracking().Where(r => r.Subject == $"pilot:{n}" && r.Rule == rule && r.State == ReminderState.Pending).OrderBy(r => r.DueAt).ToListAsync());

    public Task<Pilot> PilotAsync(long n) => World.DbAsync(db => db.Pilots.AsNoTracking().Include(p => p.Participants).Include(p => p.History).SingleAsync(p => p.Id == n));

    /// <summary>An Action.Execute click as Teams posts it; returns the text of the invoke answer.</summary>
    public async Task<string> ClickAsync(string userId, string verb, object data)
    {
        var click = BotApp.Message("", userId, TicketWorld.Names(userId), "conv-" + userId);
        click.Type = ActivityTypes.Invoke;
        click.Name = "adaptiveCard/action";
        click.Text = null;
        click.Value = ProtocolJson.ToElement(new { action = new { type = "Action.Execute", verb, data }, trigger = "manual" });
        var response = await App.CreateClient().PostAsync("/api/messages", JsonContent.Create(click, options: ProtocolJson.Options));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("value").ValueKind == JsonValueKind.String ? body.GetProperty("value").GetString()! : body.GetRawText();
    }

    /// <summary>Moves the clock to a Zurich wall time and fires what is due.</summary>
    public Task<int> RunAtAsync(string zurichLocal) => Timers.RunAtAsync(zurichLocal);

    /// <summary>A requested, screened pilot with Pia as its coordinator; returns its number.</summary>
    public async Task<long> ScreenedAsync(string category = "server-bc-minor", string component = "cream")
    {
        await World.GrantAsync(Pia, Role.Provider);
        var reply = await SayAsync($"/pilot request title=\"CREAM pilot\" component={component} version=2.0 category={category} " +
            "requester=\"CREAM developers\" kind=developer objectives=\"job submission at scale\"", Pia);
        var n = long.Parse(System.Text.RegularExpressions.Regex.Match(reply, @"Pilot \*\*P(\d+)\*\*").Groups[1].Value);
        Assert.Contains("is screened", await SayAsync($"/pilot screen P{n} accept", Coordinator));
        Assert.Contains("is the pilot coordinator", await SayAsync($"/pilot coordinator P{n} user={Pia} name=Pia", Coordinator));
        return n;
    }
}
