using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Pilots;

/// <summary>
/// The reminders a pilot's changes start and stop, as reactions in the command's transaction (seed 001 step 8: "the
/// coordinator is in charge of checking periodically and eventually to send reminders"): the start → each site's
/// set-up due on its own calendar; a site set up → its run's end and its post-mortem due; running → VO feedback
/// reminders at the agreed cadence and the run's end; a prolongation → both again; a decision → all stop.
/// </summary>
public sealed class PilotTimers(ReminderRunner reminders, WorkingCalendars calendars)
{
    public const string SetUp = "pilot.set-up", SiteRunEnd = "pilot.site-run-end", PostMortem = "pilot.post-mortem",
        Feedback = "pilot.feedback", RunEnd = "pilot.run-end";
    public static readonly IReadOnlyList<string> All = [SetUp, SiteRunEnd, PostMortem, Feedback, RunEnd];

    public static long PilotId(Reminder r) => long.Parse(r.Subject["pilot:".Length..], CultureInfo.InvariantCulture);

    public static IServiceCollection AddPilotTimerReactions(IServiceCollection services)
    {
        services.AddSingleton<PilotTimers>();
        services.AddReaction<Pilot, PilotMoved>("pilots: each state's reminders", sp => sp.Get<PilotTimers>().OnMovedAsync);
        services.AddReaction<Pilot, SiteSetUp>("pilots: a site's run and post-mortem", sp => sp.Get<PilotTimers>().OnSetUpAsync);
        services.AddReaction<Pilot, PostMortemFiled>("pilots: a filed post-mortem is chased no more", sp => (ctx, p, c) =>
            sp.Get<PilotTimers>().CancelSiteAsync(ctx, p, c.SiteId));
        services.AddReaction<Pilot, PostMortemSnoozed>("pilots: a snooze moves the next escalation", sp => sp.Get<PilotTimers>().OnSnoozedAsync);
        services.AddReaction<Pilot, WrapUpDecided>("pilots: a prolonged run is timed again", sp => sp.Get<PilotTimers>().OnDecidedAsync);
        return services;
    }

    private async Task OnMovedAsync(ReactionContext ctx, Pilot p, PilotMoved move)
    {
        switch (move.To)
        {
            case PilotState.SettingUp:
                foreach (var site in p.Sites(ParticipantState.Accepted))
                {
                    var calendar = await calendars.ForSiteAsync(ctx.Db, site.SiteId!.Value, ctx.Ct);
                    await reminders.ScheduleInAsync(ctx.Db, p.Subject, site.SiteId, SetUp, calendar.AddWorkingDays(ctx.Now, p.SetupDays), null, ctx.Ct);
                }
                break;
            case PilotState.Running:
                await TimeRunAsync(ctx, p);
                break;
            case PilotState.Production or PilotState.Abandoned or PilotState.Declined:
                foreach (var rule in All) await reminders.CancelInAsync(ctx.Db, p.Subject, rule, null, ctx.Ct);
                break;
        }
    }

    /// <summary>The VO feedback reminders (only when VOs take part) and the run's end.</summary>
    private async Task TimeRunAsync(ReactionContext ctx, Pilot p)
    {
        var channel = await calendars.ForChannelAsync(ctx.Db, ctx.Ct);
        var first = channel.AddWorkingDays(ctx.Now, p.CadenceDays);
        if (p.Vos(ParticipantState.Accepted).Any() && first < p.RunEndsAt)
            await reminders.ScheduleInAsync(ctx.Db, p.Subject, null, Feedback, first, null, ctx.Ct);
        await reminders.ScheduleInAsync(ctx.Db, p.Subject, null, RunEnd, p.RunEndsAt!.Value, null, ctx.Ct);
    }

    private async Task OnSetUpAsync(ReactionContext ctx, Pilot p, SiteSetUp c)
    {
        var site = p.Sites().Single(x => x.SiteId == c.SiteId);
        await reminders.CancelInAsync(ctx.Db, p.Subject, SetUp, c.SiteId, ctx.Ct);
        await reminders.ScheduleInAsync(ctx.Db, p.Subject, c.SiteId, SiteRunEnd, site.RunEndsAt!.Value, null, ctx.Ct);
        await reminders.ScheduleInAsync(ctx.Db, p.Subject, c.SiteId, PostMortem, site.PostMortemDue!.Value, "1", ctx.Ct);
    }

    public async Task CancelSiteAsync(ReactionContext ctx, Pilot p, long siteId)
    {
        await reminders.CancelInAsync(ctx.Db, p.Subject, PostMortem, siteId, ctx.Ct);
        await reminders.CancelInAsync(ctx.Db, p.Subject, SiteRunEnd, siteId, ctx.Ct);
    }

    private async Task OnSnoozedAsync(ReactionContext ctx, Pilot p, PostMortemSnoozed c)
    {
        await reminders.CancelInAsync(ctx.Db, p.Subject, PostMortem, c.SiteId, ctx.Ct);
        var calendar = await calendars.ForSiteAsync(ctx.Db, c.SiteId, ctx.Ct);
        var morning = calendar.ToInstant(calendar.NextWorkingDay(NodaTime.LocalDate.FromDateOnly(c.Until)).At(calendar.DayStart));
        await reminders.ScheduleInAsync(ctx.Db, p.Subject, c.SiteId, PostMortem, morning, "1", ctx.Ct);
    }

    private async Task OnDecidedAsync(ReactionContext ctx, Pilot p, WrapUpDecided c)
    {
        if (c.Decision != PilotDecision.Prolong) return;
        await reminders.CancelInAsync(ctx.Db, p.Subject, Feedback, null, ctx.Ct);
        await reminders.CancelInAsync(ctx.Db, p.Subject, RunEnd, null, ctx.Ct);
        await TimeRunAsync(ctx, p);
    }

    /// <summary>The working calendar a reminder's follow-up is counted on: the site's when it is for one.</summary>
    public Task<WorkingCalendar> CalendarAsync(Storage.RolloutDb db, long? siteId, CancellationToken ct) =>
        siteId is { } id ? calendars.ForSiteAsync(db, id, ct) : calendars.ForChannelAsync(db, ct);

    public static Task<Pilot?> LoadAsync(ReminderFiring f) =>
        f.Db.Pilots.Include(p => p.Participants).Include(p => p.History).FirstOrDefaultAsync(p => p.Id == PilotId(f.Reminder), f.Cancellation);
}
