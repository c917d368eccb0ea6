using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Conversation;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// The reminders a ticket's changes start and stop (seed 002 §2.4 steps 3.2–3.8, Table 3), as reactions in the
/// command's own transaction: opened → checks at the repository step's target and at Table 3's total; a step begun
/// → a check at its target (step 3 begins at verification, with the acceptance deadline of the release type);
/// rolling out → the nags stop; a site accepting → its report due and reminder; a report or withdrawal → that site's
/// reminders stop; closed, rejected or any other end → all stop; a snooze moves the next nag.
/// Every instant comes from <see cref="ReleaseTimeline"/>, the rule the metrics and the status page use too.
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
        services.AddReaction<Ticket, TicketEdited>("timers: a new release type moves the Table 3 targets", sp => sp.Get<TicketTimers>().OnEditedAsync);
        services.AddReaction<Ticket, AcceptanceSnoozed>("timers: a snooze moves the next nag", sp => sp.Get<TicketTimers>().OnSnoozedAsync);
        return services;
    }

    private async Task OnOpenedAsync(ReactionContext ctx, Ticket ticket, TicketOpened _)
    {
        await TargetAsync(ctx, ticket, TimelineStep.Repository);
        await TargetAsync(ctx, ticket, TimelineStep.Total);
    }

    private async Task OnMovedAsync(ReactionContext ctx, Ticket ticket, StateMoved move)
    {
        var subject = Subject(ticket.Id);
        switch (move.To)
        {
            case TicketState.Unverified:
                await TargetAsync(ctx, ticket, TimelineStep.Verification);
                break;
            case TicketState.Verified:
                // Step 3 starts here, for the acceptance deadline and the step's target alike (as in the metrics and /status).
                var channel = await calendars.ForChannelAsync(ctx.Db, ctx.Ct);
                await reminders.ScheduleInAsync(ctx.Db, subject, null, TicketTimerRules.Acceptance,
                    ticket.Type.Timeline().AcceptanceDue(ctx.Now, channel), "1", ctx.Ct);
                await TargetAsync(ctx, ticket, TimelineStep.StagedRollout);
                break;
            case TicketState.RollingOut:
                await reminders.CancelInAsync(ctx.Db, subject, TicketTimerRules.Acceptance, null, ctx.Ct);
                break;
            case var state when !state.IsOpen():
                foreach (var rule in TicketTimerRules.All) await reminders.CancelInAsync(ctx.Db, subject, rule, null, ctx.Ct);
                break;
        }
    }

    /// <summary>Report due: the staged-rollout time of the release type plus the grace period, on the site's calendar; a reminder one working day before.</summary>
    private async Task OnAcceptedAsync(ReactionContext ctx, Ticket ticket, SiteAccepted accepted)
    {
        var part = ticket.Participations.Single(p => p.SiteId == accepted.SiteId);
        var timeline = ticket.Type.Timeline();
        var cal = await calendars.ForSiteAsync(ctx.Db, part.SiteId, ctx.Ct);
        if (timeline.ReportReminderAt(part.AcceptedAt, cal) is { } remindAt)
            await reminders.ScheduleInAsync(ctx.Db, Subject(ticket.Id), part.SiteId, TicketTimerRules.ReportReminder, remindAt, null, ctx.Ct);
        await reminders.ScheduleInAsync(ctx.Db, Subject(ticket.Id), part.SiteId, TicketTimerRules.ReportOverdue,
            timeline.ReportDue(part.AcceptedAt, cal), null, ctx.Ct);
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

    /// <summary>
    /// The type changed (only possible before verification): the targets of the step under way and of the total are
    /// counted again with the new type's Table 3 row, from the instants the ticket entered them.
    /// </summary>
    private async Task OnEditedAsync(ReactionContext ctx, Ticket ticket, TicketEdited edit)
    {
        if (edit.Field != "type" || !ticket.IsBeforeVerification) return;
        await reminders.CancelInAsync(ctx.Db, Subject(ticket.Id), TicketTimerRules.Target, null, ctx.Ct);
        var unverifiedAt = await ctx.Db.TicketStepTimes.AsNoTracking().Where(t => t.TicketId == ticket.Id).Select(t => t.UnverifiedAt).FirstOrDefaultAsync(ctx.Ct);
        if (ticket.State == TicketState.Certified) await TargetAsync(ctx, ticket, TimelineStep.Repository, ticket.CreatedAt);
        else await TargetAsync(ctx, ticket, TimelineStep.Verification, unverifiedAt ?? ctx.Now);
        await TargetAsync(ctx, ticket, TimelineStep.Total, ticket.CreatedAt);
    }

    /// <summary>A check at the step's Table 3 target, counted from the instant the ticket entered the step (now, unless given).</summary>
    private async Task TargetAsync(ReactionContext ctx, Ticket ticket, TimelineStep step, DateTimeOffset? since = null)
    {
        var due = ticket.Type.Timeline().Due(step, since ?? ctx.Now, await calendars.ForChannelAsync(ctx.Db, ctx.Ct));
        await reminders.ScheduleInAsync(ctx.Db, Subject(ticket.Id), null, TicketTimerRules.Target, due, TicketTimerRules.StepName(step), ctx.Ct);
    }
}
