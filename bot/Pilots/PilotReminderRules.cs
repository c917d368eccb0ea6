using System.Globalization;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Pilots;

/// <summary>
/// What the pilot reminders do when they fire. Each re-reads the pilot and does nothing when the moment has passed (the
/// site set up, the post-mortem came, the pilot was decided), so a cancel that lost a race with the sweep is harmless.
/// Handlers only add notices, pilot changes and follow-up reminders to the firing transaction.
/// </summary>
public static class PilotReminderRules
{
    public static IServiceCollection AddPilotReminderRules(IServiceCollection services)
    {
        services.AddReminderRule(sp => new ReminderRule(PilotTimers.SetUp, f => SetUpAsync(f, sp.Get<Outbox>())));
        services.AddReminderRule(sp => new ReminderRule(PilotTimers.SiteRunEnd, f => SiteRunEndAsync(f, sp.Get<Outbox>())));
        services.AddReminderRule(sp => new ReminderRule(PilotTimers.PostMortem, f => PostMortemAsync(f, sp.Get<Outbox>(), sp.Get<PilotTimers>(),
            sp.Options<PilotsOptions>().EscalationRepeats)));
        services.AddReminderRule(sp => new ReminderRule(PilotTimers.Feedback, f => FeedbackAsync(f, sp.Get<Outbox>(), sp.Get<PilotTimers>())));
        services.AddReminderRule(sp => new ReminderRule(PilotTimers.RunEnd, f => RunEndAsync(f, sp.Get<Outbox>())));
        return services;
    }

    private static string Key(ReminderFiring f, string what) =>
        $"pilot:{PilotTimers.PilotId(f.Reminder)}:{what}:{f.Reminder.SiteId?.ToString(CultureInfo.InvariantCulture) ?? "all"}:{f.Reminder.DueAt.UtcTicks}";

    private static async Task ToSiteAsync(ReminderFiring f, Outbox outbox, long siteId, string key, string text)
    {
        foreach (var admin in await PilotPeople.AdminsAsync(f.Db, siteId, f.Cancellation))
            await outbox.AddAsync(f.Db, key, NoticeRecipient.User(admin), text, f.Cancellation);
    }

    private static NoticeRecipient Lead(Pilot p) => p.CoordinatorId is { } c ? NoticeRecipient.User(c) : PilotCommand.Coordinators;

    private static async Task SetUpAsync(ReminderFiring f, Outbox outbox)
    {
        var p = await PilotTimers.LoadAsync(f);
        var site = p?.Sites(ParticipantState.Accepted).FirstOrDefault(x => x.SiteId == f.Reminder.SiteId);
        if (p is not { State: PilotState.SettingUp } || site is null || site.SetUpAt is not null) return;
        var key = Key(f, "set-up-overdue");
        await ToSiteAsync(f, outbox, site.SiteId!.Value, key,
            $"The set-up of {p.Number} ({p.What}) at {site.Name} was due by {PilotText.Utc(f.Reminder.DueAt)}. Say `/pilot setup {p.Number} site={site.Name}` once it runs.");
        await outbox.AddAsync(f.Db, key, Lead(p), $"{site.Name} has not set up {p.Number} in the agreed {p.SetupDays} working days.", f.Cancellation);
    }

    private static async Task SiteRunEndAsync(ReminderFiring f, Outbox outbox)
    {
        var p = await PilotTimers.LoadAsync(f);
        var site = p?.Sites(ParticipantState.Accepted).FirstOrDefault(x => x.SiteId == f.Reminder.SiteId);
        if (p is null || !p.State.IsOpen() || site is null || site.PostMortemAt is not null) return;
        await ToSiteAsync(f, outbox, site.SiteId!.Value, Key(f, "run-ended"),
            $"{site.Name}'s run of {p.Number} ({p.What}) is over. Please write the post-mortem report (set-up, resource use, stability) by " +
            $"{PilotText.Utc(site.PostMortemDue!.Value)}: `/pilot postmortem {p.Number} site={site.Name} report=\"…\"`.");
    }

    /// <summary>Overdue: the site, the pilot coordinator and the coordinators hear it, once per working day up to the configured repeats.</summary>
    private static async Task PostMortemAsync(ReminderFiring f, Outbox outbox, PilotTimers timers, int repeats)
    {
        var p = await PilotTimers.LoadAsync(f);
        var site = p?.Sites(ParticipantState.Accepted).FirstOrDefault(x => x.SiteId == f.Reminder.SiteId);
        if (p is null || !p.State.IsOpen() || site is null || site.PostMortemAt is not null) return;
        var n = int.TryParse(f.Reminder.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 1;
        var key = Key(f, "post-mortem-overdue");
        var text = $"{site.Name}'s post-mortem report on {p.Number} ({p.What}) is overdue (due {PilotText.Utc(site.PostMortemDue!.Value)})";
        await ToSiteAsync(f, outbox, site.SiteId!.Value, key, $"{text}: `/pilot postmortem {p.Number} site={site.Name} report=\"…\"`.");
        await outbox.AddAsync(f.Db, key, Lead(p), text + ".", f.Cancellation);
        await outbox.AddAsync(f.Db, key, PilotCommand.Coordinators,
            $"{text}; reminder {n} of {repeats + 1}. `/pilot snooze {p.Number} site={site.Name} until=YYYY-MM-DD reason=\"…\"` holds the escalations.", f.Cancellation);
        if (n > repeats) return;
        var calendar = await timers.CalendarAsync(f.Db, site.SiteId, f.Cancellation);
        await f.Runner.ScheduleInAsync(f.Db, p.Subject, site.SiteId, PilotTimers.PostMortem, calendar.AddWorkingDays(f.Now, 1),
            (n + 1).ToString(CultureInfo.InvariantCulture), f.Cancellation);
    }

    /// <summary>
    /// Each VO taking part gets the feedback form; when no VO gave feedback in the period that just ended, the pilot
    /// coordinator hears so. The next reminder follows at the cadence while the run lasts.
    /// </summary>
    private static async Task FeedbackAsync(ReminderFiring f, Outbox outbox, PilotTimers timers)
    {
        var p = await PilotTimers.LoadAsync(f);
        if (p is not { State: PilotState.Running or PilotState.Prolonged }) return;
        var key = Key(f, "feedback-reminder");
        foreach (var vo in p.Vos(ParticipantState.Accepted))
            await outbox.AddAsync(f.Db, key, NoticeRecipient.User(vo.ContactUserId!), PilotCards.FeedbackForm(p, vo,
                $"How is {p.Number} ({p.What}) going for {vo.Name}? The feedback period ends {PilotText.Utc(p.RunEndsAt!.Value)}. " +
                $"Answer on the card or with `/pilot feedback {p.Number} vo={vo.Name} text=\"…\"`."), null, f.Cancellation);
        var since = f.Reminder.CreatedAt;
        if (!VoFeedbackSince(p, since))
            await outbox.AddAsync(f.Db, key, Lead(p),
                $"No VO gave feedback on {p.Number} since {PilotText.Utc(since)}; the VOs are reminded again.", f.Cancellation);
        var next = (await timers.CalendarAsync(f.Db, null, f.Cancellation)).AddWorkingDays(f.Now, p.CadenceDays);
        if (next < p.RunEndsAt) await f.Runner.ScheduleInAsync(f.Db, p.Subject, null, PilotTimers.Feedback, next, null, f.Cancellation);
    }

    private static bool VoFeedbackSince(Pilot p, DateTimeOffset since) => p.History.Any(h =>
        h.Kind == PilotChange.KindOf<FeedbackGiven>() && h.At >= since && h.Change is FeedbackGiven { Who: ParticipantKind.Vo });

    /// <summary>
    /// The agreed time is up: the pilot waits for its wrap-up. With no VO taking part, or no VO feedback in the whole
    /// run, it is judged by the minor-update criteria and "no feedback from users" is recorded (seed 001).
    /// </summary>
    private static async Task RunEndAsync(ReminderFiring f, Outbox outbox)
    {
        var p = await PilotTimers.LoadAsync(f);
        if (p is not { State: PilotState.Running or PilotState.Prolonged } || p.RunEndsAt > f.Now) return;
        var vos = p.Vos(ParticipantState.Accepted).ToList();
        if (vos.Count == 0) p.RecordNoFeedback("no VO committed to the pilot", Actor.Bot, f.Now);
        else if (!VoFeedbackSince(p, p.StartedAt ?? p.CreatedAt)) p.RecordNoFeedback($"none of {string.Join(", ", vos.Select(v => v.Name))} gave feedback in the agreed time", Actor.Bot, f.Now);
        if (p.RunEnded(Actor.Bot, f.Now) is { } why) throw new InvalidOperationException(why);
        var text = $"The agreed run of {p.Number} ({p.What}) is over: time for the wrap-up meeting and decision " +
            $"(`/pilot wrapup {p.Number} decision=production|prolong|abandon guidelines=\"…\"`)." +
            (p.NoFeedback ? " **No feedback from users** was received: it is judged by the minor-update criteria and the release notes must say so." : "");
        var key = Key(f, "run-ended");
        await outbox.AddAsync(f.Db, key, Lead(p), text, f.Cancellation);
        await outbox.AddAsync(f.Db, key, PilotCommand.Room(p), text, f.Cancellation);
    }
}
