using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// What the ticket reminders do when they fire. Each handler re-reads the ticket and does nothing when the moment has
/// passed (a site accepted, the report came in), so a cancel that lost a race with the sweep is harmless. Handlers only
/// add outbox notices, history lines and follow-up reminders to the firing transaction.
/// </summary>
public static class TicketTimerRules
{
    public const string Acceptance = "ticket.acceptance", ReportReminder = "ticket.report-reminder",
        ReportOverdue = "ticket.report-overdue", Target = "ticket.target";
    public const string Repository = "repository", Verification = "verification", StagedRollout = "staged-rollout", Total = "total";
    public static readonly IReadOnlyList<string> All = [Acceptance, ReportReminder, ReportOverdue, Target];

    /// <summary>
    /// The states a ticket sits in while each Table 3 step runs: still in one of them at the target means the target was
    /// missed. Step 3 runs from verification, whether or not a site has accepted yet; the total runs while the ticket is open.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, TicketState[]> StepStates = new Dictionary<string, TicketState[]>
    {
        [Repository] = [TicketState.Certified], [Verification] = [TicketState.Unverified],
        [StagedRollout] = [TicketState.Verified, TicketState.RollingOut], [Total] = TicketStates.Open,
    };

    public static string StepName(TimelineStep step) => step switch
    {
        TimelineStep.Repository => Repository, TimelineStep.Verification => Verification,
        TimelineStep.StagedRollout => StagedRollout, _ => Total,
    };

    /// <summary>Whether the step named <paramref name="step"/> is still under way in <paramref name="state"/>.</summary>
    public static bool InStep(string? step, TicketState state) =>
        step is not null && StepStates.TryGetValue(step, out var states) && Array.IndexOf(states, state) >= 0;

    /// <summary>"the verification step", "the whole staged rollout (Table 3 total)".</summary>
    public static string StepLabel(string step) => step == Total ? "the whole staged rollout (Table 3 total)" : $"the {step} step";

    public static IServiceCollection AddTicketTimers(this IServiceCollection services)
    {
        TicketTimers.AddTicketTimerReactions(services);
        services.AddReminderRule(sp => new ReminderRule(Acceptance, f => AcceptanceNag.FireAsync(f, sp.Get<Outbox>(),
            sp.Get<WorkingCalendars>(), sp.Options<SchedulingOptions>().NagRepeats)));
        services.AddReminderRule(sp => new ReminderRule(ReportReminder, f => ReportAsync(f, sp.Get<Outbox>(), overdue: false)));
        services.AddReminderRule(sp => new ReminderRule(ReportOverdue, f => ReportAsync(f, sp.Get<Outbox>(), overdue: true)));
        services.AddReminderRule(sp => new ReminderRule(Target, f => TargetAsync(f, sp.Get<Outbox>())));
        services.AddCommand(Snooze.Definition);
        services.AddCommand(sp => Deadlines.Definition(sp.Get<Coordination.MeetingCatalog>()));
        return services;
    }

    public static long TicketId(Reminder reminder) => long.Parse(reminder.Subject["ticket:".Length..], CultureInfo.InvariantCulture);

    public static string Describe(Ticket t) => t.IsRestricted
        ? $"{t.Number} (restricted)"
        : $"{t.Number} {t.Component} {t.Version} ({t.Type.ToName()})";

    private static async Task ReportAsync(ReminderFiring f, Outbox outbox, bool overdue)
    {
        var db = f.Db;
        var id = TicketId(f.Reminder);
        var part = await db.Participations.AsNoTracking().SingleOrDefaultAsync(p => p.TicketId == id && p.SiteId == f.Reminder.SiteId, f.Cancellation);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, f.Cancellation);
        if (part is null || !part.IsOpen || ticket is null || ticket.State != TicketState.RollingOut) return;

        var kind = overdue ? "report-overdue" : "report-reminder";
        var key = $"ticket:{id}:{kind}:{part.SiteId}";
        var due = overdue ? "is overdue" : "is due in one working day";
        var text = $"{part.SiteName}'s staged-rollout report on {Describe(ticket)} {due}: " +
            $"`/report {ticket.Number} outcome=success|warning|reject notes=\"…\" site={part.SiteName}`.";
        foreach (var admin in await AdminsAsync(db, [part.SiteId], f.Cancellation))
            await outbox.AddAsync(db, key, NoticeRecipient.User(admin.UserId), text, f.Cancellation);
        if (overdue)
            await outbox.AddAsync(db, key, NoticeRecipient.Channel("operations"),
                $"{part.SiteName} has not reported on {Describe(ticket)}; the report was due by {TicketCommand.When(f.Reminder.DueAt)}.", f.Cancellation);
    }

    private static async Task TargetAsync(ReminderFiring f, Outbox outbox)
    {
        var db = f.Db;
        var id = TicketId(f.Reminder);
        var step = f.Reminder.Payload ?? "";
        var missedKind = TicketChange.KindOf<TargetMissed>();
        var ticket = await db.Tickets.Include(t => t.History.Where(h => h.Kind == missedKind)).SingleOrDefaultAsync(t => t.Id == id, f.Cancellation);
        if (ticket is null || !InStep(step, ticket.State)) return;
        if (!ticket.MissTarget(step, f.Reminder.DueAt, f.Now)) return;
        await outbox.AddAsync(db, $"ticket:{id}:target-missed:{step}", NoticeRecipient.Channel(NoticePurposes.Operations),
            $"{Describe(ticket)} missed its Table 3 target for {StepLabel(step)} ({TicketCommand.When(f.Reminder.DueAt)}); it is still {ticket.State.ToName()}.",
            f.Cancellation);
    }

    public static async Task<List<EarlyAdopters.SiteAdmin>> AdminsAsync(RolloutDb db, IReadOnlyCollection<long> siteIds, CancellationToken ct) =>
        await db.SiteAdmins.AsNoTracking().Where(a => siteIds.Contains(a.SiteId) && a.RemovedAt == null)
            .OrderBy(a => a.SiteId).ThenBy(a => a.UserId).ToListAsync(ct);

}
