using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;

namespace Rollout.Bot.Scheduling;

/// <summary><c>/holiday add|remove</c>: coordinators keep the holidays that deadlines skip.</summary>
public static class HolidayCommands
{
    private const string DateHelp = "Write the date as yyyy-MM-dd, e.g. `/holiday add 2026-12-24 \"Annual closure\"`.";
    internal static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM yyyy");

    public static readonly IReadOnlyList<string> Usage =
        ["/holiday add 2026-12-24 \"Annual closure\" [site=NAME]", "/holiday remove 2026-12-24 [site=NAME]"];

    public static CommandDefinition Holiday(WorkingCalendars calendars) => new("holiday", "Coordinator", Usage,
        "add or remove a holiday (no working day) for everyone or one site", Writes: true, s => HandleHolidayAsync(s, calendars));

    private static async Task<Reply> HandleHolidayAsync(CommandSession s, WorkingCalendars calendars)
    {
        if (s.Require(Role.Coordinator, "change holidays (`/calendar` shows them)") is { } refused) return refused;
        var verb = s.Command.Verb;
        if (verb is not ("add" or "remove"))
            return Reply.No($"Say what to do with the holiday:\n- `{Usage[0]}`\n- `{Usage[1]}`");
        if (s.Command.Positionals.Count < 2) return Reply.No($"Which date? {DateHelp}");
        var typed = s.Command.Positionals[1];
        if (SchedulingOptionsValidator.Date(typed) is not { } date) return Reply.No($"'{typed}' is not a date. {DateHelp}");
        Site? site = null;
        if (s.Command.Get("site") is { } siteName)
        {
            site = await Sites.FindAsync(s.Db, siteName, s.Ct);
            if (site is null)
                return Reply.No($"There is no site '{siteName}' in the Early Adopter registry. Check the spelling, or leave out site= for everyone.");
        }
        return verb == "add" ? await AddAsync(s, calendars, date, site) : await RemoveAsync(s, calendars, date, site);
    }

    private static async Task<Reply> AddAsync(CommandSession s, WorkingCalendars calendars, LocalDate date, Site? site)
    {
        var name = string.Join(' ', s.Command.Positionals.Skip(2)).Trim();
        if (name.Length == 0) return Reply.No($"Give the holiday a name: `/holiday add {date:yyyy-MM-dd} \"Annual closure\"`.");
        var today = Instant.FromDateTimeOffset(s.Now).InZone(calendars.CoordinatorZone).Date;
        if (date < today) return Reply.No($"{Day.Format(date)} is in the past; holidays only change deadlines from now on. {DateHelp}");
        var day = date.ToDateOnly();
        var existing = (await calendars.HolidaysAsync(s.Db, site?.Id, ct: s.Ct))
            .FirstOrDefault(h => h.Date == day && (h.Site is null) == (site is null));
        if (existing is not null) return Reply.No($"{Day.Format(date)} is already a holiday for {Whom(site)}: \"{existing.Name}\".");
        s.Db.Holidays.Add(new Holiday { Date = day, Name = name, SiteId = site?.Id, AddedBy = s.Caller.UserId, AddedAt = s.Now });
        var weekend = WorkingCalendar.IsWeekend(date) ? $" It is a {date.DayOfWeek}, which was not a working day anyway." : "";
        return $"Added the holiday {Day.Format(date)} \"{name}\" for {Whom(site)}. Deadlines computed from now on skip it; " +
            $"deadlines already set are not moved.{weekend}";
    }

    private static async Task<Reply> RemoveAsync(CommandSession s, WorkingCalendars calendars, LocalDate date, Site? site)
    {
        var day = date.ToDateOnly();
        var siteId = site?.Id;
        var stored = await s.Db.Holidays.Where(h => h.Date == day && h.SiteId == siteId).ToListAsync(s.Ct);
        if (stored.Count > 0)
        {
            s.Db.Holidays.RemoveRange(stored);
            return $"Removed the holiday {Day.Format(date)} for {Whom(site)}. It is a working day again for deadlines computed from now on.";
        }
        return Reply.No(calendars.IsConfigured(day, site?.Name)
            ? $"The holiday {Day.Format(date)} comes from the configuration (Scheduling:Holidays); remove it there and restart the bot."
            : $"There is no holiday on {Day.Format(date)} for {Whom(site)}. `/calendar` lists them.");
    }

    private static string Whom(Site? site) => site is null ? "everyone" : $"site {site.Name}";
}
