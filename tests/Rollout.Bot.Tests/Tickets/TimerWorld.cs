using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Tests.Infrastructure;
using Rollout.Bot.Tests.Scheduling;

namespace Rollout.Bot.Tests.Tickets;

/// <summary>
/// A ticket world on a manual clock that starts on Monday 2026-11-23 10:00 in Zurich (the coordinators' zone).
/// Time moves only through <see cref="RunAtAsync"/>, which also sweeps the reminders as Quartz would.
/// </summary>
public sealed class TimerWorld : IDisposable
{
    public TimerWorld(Dictionary<string, string?>? settings = null, string? dataFolder = null, ManualTimeProvider? clock = null)
    {
        Clock = clock ?? new ManualTimeProvider(Zurich.At("2026-11-23 10:00"));
        World = new TicketWorld(settings, s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
        }, dataFolder);
    }

    public ManualTimeProvider Clock { get; }
    public TicketWorld World { get; }

    public void Dispose() => World.Dispose();

    /// <summary>
    /// As <see cref="TicketWorld.SayAsync"/>, but returns the reply to this very message: the dispatcher may deliver a
    /// timer's notice, even to the same person, in between.
    /// </summary>
    public async Task<string> SayAsync(string text, string userId)
    {
        var connector = World.App.Connector;
        var before = connector.Calls.Count;
        var message = BotApp.Message(text, userId, TicketWorld.Names(userId), "conv-" + userId);
        var response = await World.App.PostAsync(message);
        response.EnsureSuccessStatusCode();
        for (var seen = before + 1; ; seen++)
        {
            var calls = await connector.WaitForCallsAsync(seen);
            var reply = calls.Skip(before).Select(c => c.Activity).FirstOrDefault(a => a.ReplyToId == message.Id);
            if (reply is not null) return reply.Text ?? "";
        }
    }

    public ReminderRunner Runner => World.App.Services.GetRequiredService<ReminderRunner>();

    /// <summary>Moves the clock to a Zurich wall time and fires what is due; returns how many reminders fired.</summary>
    public async Task<int> RunAtAsync(string zurichLocal)
    {
        Clock.Set(Zurich.At(zurichLocal));
        return await Runner.RunDueAsync(Clock.GetUtcNow());
    }

    public void At(string zurichLocal) => Clock.Set(Zurich.At(zurichLocal));

    /// <summary>Recipients of the notices whose key is <paramref name="key"/>, sorted.</summary>
    public Task<List<string>> RecipientsAsync(string key) => World.DbAsync(db =>
        db.Notices.AsNoTracking().Where(n => n.DedupeKey == key).Select(n => n.Recipient).OrderBy(r => r).ToListAsync());

    public Task<List<string>> KeysAsync(string prefix) => World.DbAsync(db =>
        db.Notices.AsNoTracking().Where(n => n.DedupeKey.StartsWith(prefix)).Select(n => n.DedupeKey).Distinct().OrderBy(k => k).ToListAsync());

    public Task<string> TextAsync(string key, string recipient) => World.DbAsync(db =>
        db.Notices.AsNoTracking().Where(n => n.DedupeKey == key && n.Recipient == recipient).Select(n => n.PayloadJson).SingleAsync());

    public Task<List<Reminder>> PendingAsync(long ticket, string rule) => World.DbAsync(db =>
        db.Reminders.AsNoTracking().Where(r => r.Subject == $"ticket:{ticket}" && r.Rule == rule && r.State == ReminderState.Pending)
            .OrderBy(r => r.DueAt).ToListAsync());
}
