using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Cards;
using Rollout.Bot.Notices;
using Rollout.Bot.Protocol;
using Rollout.Bot.Scheduling;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Tickets;

/// <summary>
/// Seed 002 §2.4 step 3.2: no site accepted a verified ticket in time (one working day; an emergency's hour, see
/// <see cref="ReleaseTimeline.Acceptance"/>). The nag goes to the stack's early-adopter channel and to every admin of a
/// site committed to the component on the ticket's platform that has not passed on it; the first one also escalates to
/// the coordinators in the operations channel with each committed site's last activity or its reason for passing, and a
/// button to call for partners (§2.4 3.3). It repeats at the same interval up to Scheduling:NagRepeats times, unless a
/// site accepts or a coordinator snoozes it.
/// </summary>
public static class AcceptanceNag
{
    public static async Task FireAsync(ReminderFiring f, Outbox outbox, WorkingCalendars calendars, int nagRepeats)
    {
        var db = f.Db;
        var ct = f.Cancellation;
        var id = TicketTimerRules.TicketId(f.Reminder);
        var ticket = await db.Tickets.AsNoTracking().Include(t => t.Participations).Include(t => t.Declines).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (ticket is null || ticket.State != TicketState.Verified || ticket.Participations.Count > 0) return;

        var n = int.TryParse(f.Reminder.Payload, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var committed = await CommittedSites.ForReleaseAsync(db, ticket, ct);
        var passed = ticket.Declines.ToDictionary(d => d.SiteId);
        var asked = committed.Where(s => !passed.ContainsKey(s.Id)).ToList();
        var admins = await TicketTimerRules.AdminsAsync(db, asked.Select(s => s.Id).ToList(), ct);
        var key = $"ticket:{id}:acceptance-nag:{n}";
        var what = TicketTimerRules.Describe(ticket);

        await outbox.AddAsync(db, key, NoticeRecipient.Channel("early-adopters", ticket.Stack),
            ticket.IsRestricted
                ? $"A restricted release is waiting for acceptance; the admins of committed sites were told directly (nag {n})."
                : await ChannelNagAsync(db, ticket, what, n, admins, asked, ct), null, ct);
        foreach (var admin in admins)
        {
            var site = asked.First(s => s.Id == admin.SiteId).Name;
            await outbox.AddAsync(db, key, NoticeRecipient.User(admin.UserId),
                $"{site} is committed to {ticket.Component}: {what} is waiting for an early adopter. `/accept {ticket.Number} site={site}`, " +
                $"or `/pass {ticket.Number} site={site} reason=\"…\"` if not this time.", ct);
        }
        var unreachable = await UnreachableAsync(db, admins, asked, ct);
        if (n == 1) await EscalateAsync(f, ticket, committed.Select(s => (s.Id, s.Name)).ToList(), passed, outbox, unreachable);
        else if (unreachable.Count > 0)
            await outbox.AddAsync(db, key, NoticeRecipient.Channel("operations"),
                $"Acceptance nag {n} on {(ticket.IsRestricted ? ticket.Number + " (restricted)" : what)}: {Unreached(unreachable)}", ct);

        if (n < nagRepeats)
        {
            var calendar = await calendars.ForChannelAsync(db, ct);
            await f.Runner.ScheduleInAsync(db, f.Reminder.Subject, null, TicketTimerRules.Acceptance,
                ticket.Type.Timeline().AcceptanceDue(f.Now, calendar), (n + 1).ToString(CultureInfo.InvariantCulture), ct);
        }
    }

    /// <summary>
    /// The channel's nag names the admins who have not answered with an @mention each (Teams notifies them; their names
    /// are the ones kept from their own messages, else the registry's).
    /// </summary>
    private static async Task<BotMessage> ChannelNagAsync(RolloutDb db, Ticket ticket, string what, int n,
        List<EarlyAdopters.SiteAdmin> admins, List<EarlyAdopters.Site> asked, CancellationToken ct)
    {
        var text = $"{what} is verified and no site has accepted it yet (nag {n}).";
        if (admins.Count == 0) return text + $" Committed sites, please `/accept {ticket.Number}`.";
        var ids = admins.Select(a => a.UserId).Distinct().ToList();
        var kept = await db.UserConversations.AsNoTracking().Where(u => ids.Contains(u.UserId) && u.UserName != null)
            .ToDictionaryAsync(u => u.UserId, u => u.UserName!, ct);
        var people = admins.DistinctBy(a => a.UserId).Select(a => new Person(a.UserId, kept.GetValueOrDefault(a.UserId) ?? a.Name)).ToList();
        var named = admins.GroupBy(a => a.SiteId).Select(g =>
            $"{asked.First(s => s.Id == g.Key).Name}: {string.Join(" ", g.Select(a => BotMessage.Mention(a.UserId)).Distinct())}");
        return new BotMessage
        {
            Text = $"{text} {string.Join("; ", named)}: please `/accept {ticket.Number}`, or \"Not this time\" on the card.",
            Mentions = people,
        };
    }

    /// <summary>The admins asked whom no chat reaches (never wrote to the bot, and not on Teams where one can be opened).</summary>
    private static async Task<List<(string Site, EarlyAdopters.SiteAdmin Admin)>> UnreachableAsync(RolloutDb db,
        List<EarlyAdopters.SiteAdmin> admins, List<EarlyAdopters.Site> asked, CancellationToken ct)
    {
        var routes = await NoticeDelivery.PeopleAsync(db, admins.Select(a => a.UserId).ToList(), ct);
        return admins.Where(a => routes[a.UserId] is null).Select(a => (asked.First(s => s.Id == a.SiteId).Name, a)).ToList();
    }

    private static string Unreached(List<(string Site, EarlyAdopters.SiteAdmin Admin)> unreachable) =>
        "could not reach " + string.Join(", ", unreachable.Select(u => $"{u.Admin.Name} ({u.Admin.UserId}) of {u.Site}")) +
        ": they have never written to the bot, so no chat with them is known. Ask them to write to the bot once; `/outbox` shows what waits for them.";

    private static async Task EscalateAsync(ReminderFiring f, Ticket ticket, List<(long Id, string Name)> sites,
        IReadOnlyDictionary<long, SiteDecline> passed, Outbox outbox, List<(string Site, EarlyAdopters.SiteAdmin Admin)> unreachable)
    {
        var component = ticket.IsRestricted ? "its component" : ticket.Component; // a channel never learns what a restricted ticket is
        var text = new StringBuilder($"Escalation: no site accepted {TicketTimerRules.Describe(ticket)} within " +
            $"{ticket.Type.Timeline().Acceptance.Describe()} of verification.");
        var platform = string.Join(" ", new[] { ticket.Os, ticket.Arch }.Where(x => !string.IsNullOrWhiteSpace(x)));
        if (sites.Count == 0) text.Append($"\nNo site is committed to {component}{(platform.Length > 0 ? " on " + platform : "")}.");
        var admins = await TicketTimerRules.AdminsAsync(f.Db, sites.Select(s => s.Id).ToList(), f.Cancellation);
        foreach (var site in sites)
        {
            if (passed.TryGetValue(site.Id, out var decline))
            {
                text.Append($"\n- {site.Name}: passed on {TicketCommand.When(decline.DeclinedAt)}" + (ticket.IsRestricted ? "" : $": {decline.Reason}"));
                continue;
            }
            var ids = admins.Where(a => a.SiteId == site.Id).Select(a => a.UserId).ToList();
            var history = await f.Db.TicketHistory.AsNoTracking().Where(h => ids.Contains(h.ByUserId))
                .OrderByDescending(h => h.At).Select(h => (DateTimeOffset?)h.At).FirstOrDefaultAsync(f.Cancellation);
            var comment = await f.Db.TicketComments.AsNoTracking().Where(c => ids.Contains(c.ByUserId))
                .OrderByDescending(c => c.At).Select(c => (DateTimeOffset?)c.At).FirstOrDefaultAsync(f.Cancellation);
            var last = new[] { history, comment }.Max();
            text.Append($"\n- {site.Name}: last activity {(last is { } at ? TicketCommand.When(at) : "none recorded")}");
        }
        if (unreachable.Count > 0) text.Append("\nThe nag " + Unreached(unreachable));
        text.Append($"\nOptions: `/ask {ticket.Number} site=…` a site, `/snooze {ticket.Number} until=YYYY-MM-DD reason=\"…\"`");
        text.Append(ticket.IsRestricted ? "." : $", or `/call {ticket.Number}` for new early-adopter partners for {component}.");
        var message = ticket.IsRestricted ? (BotMessage)text.ToString() : BotMessage.WithCard(text.ToString(), CallCard(ticket).ToJson());
        await outbox.AddAsync(f.Db, $"ticket:{ticket.Id}:acceptance-escalation", NoticeRecipient.Channel("operations"), message, null, f.Cancellation);
    }

    /// <summary>The escalation's button: it runs <c>/call #N</c> as the clicker, with that command's checks.</summary>
    public static AdaptiveCard CallCard(Ticket ticket) => new(
        [new TextBlock($"{ticket.Number} {ticket.Component} {ticket.Version}: nobody has accepted it", Weight: "Bolder")],
        [new ExecuteAction("Call for partners", CallForPartners.Verb, new Dictionary<string, string>
        {
            ["ticket"] = ticket.Id.ToString(CultureInfo.InvariantCulture),
        })]);
}
