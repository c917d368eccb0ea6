using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Seed 002 §2.4 step 3.2: no site accepted a verified ticket within one working day. The nag goes to the stack's
/// early-adopter channel and to every admin of a site committed to the component on the ticket's platform; the first one also escalates to the coordinators in
/// the operations channel with each committed site's last activity, so they can chase a site or call for new partners.
/// It repeats each working day up to Scheduling:NagRepeats times, unless a site accepts or a coordinator snoozes it.
/// </summary>
public static class AcceptanceNag
{
    public static async Task FireAsync(ReminderFiring f, Outbox outbox, WorkingCalendars calendars, int nagRepeats)
    {
        var db = f.Db;
        var ct = f.Cancellation;
        var id = TicketTimerRules.TicketId(f.Reminder);
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Participations).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null || ticket.State != TicketState.Verified || ticket.Participations.Count > 0) return;

        var n = int.TryParse(f.Reminder.Payload, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var component = ticket.Component.ToLower();
        // A commitment for another platform is not a promise to test this build; one without a platform covers all.
        var os = ticket.Os?.Trim().ToLower();
        var arch = ticket.Arch?.Trim().ToLower();
        var sites = await db.Commitments.AsNoTracking().Where(c => c.EndedAt == null && c.Component.ToLower() == component)
            .Where(c => os == null || os == "" || c.Os == null || c.Os == "" || c.Os.ToLower() == os)
            .Where(c => arch == null || arch == "" || c.Arch == null || c.Arch == "" || c.Arch.ToLower() == arch)
            .Join(db.Sites, c => c.SiteId, s => s.Id, (c, s) => new { s.Id, s.Name }).Distinct()
            .OrderBy(s => s.Name).ToListAsync(ct);
        var admins = await TicketTimerRules.AdminsAsync(db, sites.Select(s => s.Id).ToList(), ct);
        var key = $"ticket:{id}:acceptance-nag:{n}";
        var what = TicketTimerRules.Describe(ticket);

        await outbox.AddAsync(db, key, NoticeRecipient.Channel("early-adopters", ticket.Stack),
            ticket.IsRestricted
                ? $"A restricted release is waiting for acceptance; the admins of committed sites were told directly (nag {n})."
                : $"{what} is verified and no site has accepted it yet (nag {n}). Committed sites, please `/accept {ticket.Number}`.", ct);
        foreach (var admin in admins)
        {
            var site = sites.First(s => s.Id == admin.SiteId).Name;
            await outbox.AddAsync(db, key, NoticeRecipient.User(admin.UserId),
                $"{site} is committed to {ticket.Component}: {what} is waiting for an early adopter. `/accept {ticket.Number} site={site}`", ct);
        }
        if (n == 1) await EscalateAsync(f, ticket, sites.Select(s => (s.Id, s.Name)).ToList(), admins, outbox);

        if (n < nagRepeats)
        {
            var calendar = await calendars.ForChannelAsync(db, ct);
            await f.Runner.ScheduleInAsync(db, f.Reminder.Subject, null, TicketTimerRules.Acceptance,
                calendar.AddWorkingDays(f.Now, 1), (n + 1).ToString(CultureInfo.InvariantCulture), ct);
        }
    }

    private static async Task EscalateAsync(ReminderFiring f, Ticket ticket, List<(long Id, string Name)> sites,
        List<EarlyAdopters.SiteAdmin> admins, Outbox outbox)
    {
        var component = ticket.IsRestricted ? "its component" : ticket.Component; // a channel never learns what a restricted ticket is
        var text = new StringBuilder($"Escalation: no site accepted {TicketTimerRules.Describe(ticket)} within one working day of verification.");
        var platform = string.Join(" ", new[] { ticket.Os, ticket.Arch }.Where(x => !string.IsNullOrWhiteSpace(x)));
        if (sites.Count == 0) text.Append($"\nNo site is committed to {component}{(platform.Length > 0 ? " on " + platform : "")}.");
        foreach (var site in sites)
        {
            var ids = admins.Where(a => a.SiteId == site.Id).Select(a => a.UserId).ToList();
            var history = await f.Db.TicketHistory.AsNoTracking().Where(h => ids.Contains(h.ByUserId))
                .OrderByDescending(h => h.At).Select(h => (DateTimeOffset?)h.At).FirstOrDefaultAsync(f.Cancellation);
            var comment = await f.Db.TicketComments.AsNoTracking().Where(c => ids.Contains(c.ByUserId))
                .OrderByDescending(c => c.At).Select(c => (DateTimeOffset?)c.At).FirstOrDefaultAsync(f.Cancellation);
            var last = new[] { history, comment }.Max();
            text.Append($"\n- {site.Name}: last activity {(last is { } at ? TicketCommand.When(at) : "none recorded")}");
        }
        text.Append($"\nOptions: `/snooze {ticket.Number} until=YYYY-MM-DD reason=\"…\"`, or call for new early-adopter partners for {component}.");
        await outbox.AddAsync(f.Db, $"ticket:{ticket.Id}:acceptance-escalation", NoticeRecipient.Channel("operations"), text.ToString(), f.Cancellation);
    }
}
