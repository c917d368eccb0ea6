using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The reminders a ticket's changes start and stop (seed 002 §2.4 steps 3.2–3.8, Table 3), as reactions in the
/// command's own transaction: opened or a step begun → a check at its Table 3 target; verified → the acceptance
/// deadline; rolling out → the nags stop; a site accepting → its report due and reminder; a report or withdrawal →
/// that site's reminders stop; closed or rejected → all stop; a snooze moves the next nag.
/// </summary>
public sealed class TicketTimers(ReminderRunner reminders, WorkingCalendars calendars)
{
    public static string Subject(long ticketId) => $"ticket:{ticketId}";

    public static IServiceCollection AddTicketTimerReactions(IServiceCollection services)
    {
        services.AddSingleton<TicketTimers>();
        services.AddReaction<Ticket, TicketOpened>("timers: the repository step's target", sp => sp.Get<TicketTimers>().OnOpenedAsync);
        services.AddReaction<Ticket, StateMoved>("timers: each step's deadlines", sp => sp.Get<TicketTimers>().OnMovedAsync);
        services.AddReaction<Ticket, SiteAccepted>("timers: an accepted site's report is due", sp => sp.Get<TicketTimers>().OnAcceptedAsync);
        services.AddReaction<Ticket, SiteReported>("timers: a reported site is reminded no more", sp => (ctx, t, c) => sp.Get<TicketTimers>().OnSiteDoneAsync(ctx, t, c.SiteId));
        services.AddReaction<Ticket, SiteWithdrawn>("timers: a withdrawn site is reminded no more", sp => (ctx, t, c) => sp.Get<TicketTimers>().OnSiteDoneAsync(ctx, t, c.SiteId));
        services.AddReaction<Ticket, AcceptanceSnoozed>("timers: a snooze moves the next nag", sp => sp.Get<TicketTimers>().OnSnoozedAsync);
        return services;
    }

    private async Task OnOpenedAsync(ReactionContext ctx, Ticket ticket, TicketOpened _) =>
        await TargetAsync(ctx, ticket, TicketTimerRules.Repository, Timeline(ticket).Repository);

    private async Task OnMovedAsync(ReactionContext ctx, Ticket ticket, StateMoved move)
    {
        var subject = Subject(ticket.Id);
        var timeline = Timeline(ticket);
        switch (move.To)
        {
            case TicketState.Unverified:
                await TargetAsync(ctx, ticket, TicketTimerRules.Verification, timeline.Verification);
                break;
            case TicketState.Verified:
                var channel = await calendars.ForChannelAsync(ctx.Db, ctx.Ct);
                await reminders.ScheduleInAsync(ctx.Db, subject, null, TicketTimerRules.Acceptance,
                    ReleaseTimelines.Acceptance.DeadlineFrom(ctx.Now, channel), "1", ctx.Ct);
                break;
            case TicketState.RollingOut:
                await reminders.CancelInAsync(ctx.Db, subject, TicketTimerRules.Acceptance, null, ctx.Ct);
                var cal = await calendars.ForChannelAsync(ctx.Db, ctx.Ct);
                var stepEnd = timeline.StagedRollout.DeadlineFrom(ctx.Now, cal);
                await ScheduleTargetAt(ctx, ticket, TicketTimerRules.StagedRollout, After(stepEnd, timeline.GracePeriod, cal));
                break;
            case TicketState.Closed or TicketState.Rejected:
                foreach (var rule in TicketTimerRules.All) await reminders.CancelInAsync(ctx.Db, subject, rule, null, ctx.Ct);
                break;
        }
    }

    /// <summary>Report due: the staged-rollout time of the release type plus the grace period, on the site's calendar; a reminder one working day before.</summary>
    private async Task OnAcceptedAsync(ReactionContext ctx, Ticket ticket, SiteAccepted accepted)
    {
        var part = ticket.Participations.Single(p => p.SiteId == accepted.SiteId);
        var timeline = Timeline(ticket);
        var cal = await calendars.ForSiteAsync(ctx.Db, part.SiteId, ctx.Ct);
        var stepEnd = timeline.StagedRollout.DeadlineFrom(part.AcceptedAt, cal);
        var due = After(stepEnd, timeline.GracePeriod, cal);
        if (timeline.GracePeriod.WorkingDays >= 1)
            await reminders.ScheduleInAsync(ctx.Db, Subject(ticket.Id), part.SiteId, TicketTimerRules.ReportReminder,
                cal.AddWorkingDays(stepEnd, timeline.GracePeriod.WorkingDays - 1), null, ctx.Ct);
        await reminders.ScheduleInAsync(ctx.Db, Subject(ticket.Id), part.SiteId, TicketTimerRules.ReportOverdue, due, null, ctx.Ct);
    }

    private async Task OnSiteDoneAsync(ReactionContext ctx, Ticket ticket, long siteId)
    {
        await reminders.CancelInAsync(ctx.Db, Subject(ticket.Id), TicketTimerRules.ReportReminder, siteId, ctx.Ct);
        await reminders.CancelInAsync(ctx.Db, Subject(ticket.Id), TicketTimerRules.ReportOverdue, siteId, ctx.Ct);
    }

    private async Task OnSnoozedAsync(ReactionContext ctx, Ticket ticket, AcceptanceSnoozed snooze)
    {
        var subject = Subject(ticket.Id);
        await reminders.CancelInAsync(ctx.Db, subject, TicketTimerRules.Acceptance, null, ctx.Ct);
        var channel = await calendars.ForChannelAsync(ctx.Db, ctx.Ct);
        var resume = channel.ToInstant(channel.NextWorkingDay(LocalDate.FromDateOnly(snooze.Until)) + channel.DayStart);
        var fired = await ctx.Db.Reminders.CountAsync(r => r.Subject == subject && r.Rule == TicketTimerRules.Acceptance && r.State == ReminderState.Fired, ctx.Ct);
        await reminders.ScheduleInAsync(ctx.Db, subject, null, TicketTimerRules.Acceptance, resume,
            (fired + 1).ToString(CultureInfo.InvariantCulture), ctx.Ct);
    }

    private static ReleaseTimeline Timeline(Ticket ticket) => ReleaseTimelines.Table3[ticket.Type.ToName()];

    private static DateTimeOffset After(DateTimeOffset start, TimeTarget grace, WorkingCalendar cal) =>
        grace.WorkingDays == 0 && grace.WallClock is null ? start : grace.DeadlineFrom(start, cal);

    private async Task TargetAsync(ReactionContext ctx, Ticket ticket, string step, TimeTarget target) =>
        await ScheduleTargetAt(ctx, ticket, step, target.DeadlineFrom(ctx.Now, await calendars.ForChannelAsync(ctx.Db, ctx.Ct)));

    private Task<bool> ScheduleTargetAt(ReactionContext ctx, Ticket ticket, string step, DateTimeOffset at) =>
        reminders.ScheduleInAsync(ctx.Db, Subject(ticket.Id), null, TicketTimerRules.Target, at, step, ctx.Ct);
}
