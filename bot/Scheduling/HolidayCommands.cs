using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.EarlyAdopters;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Scheduling;

/// <summary><c>/holiday add|remove</c>: coordinators keep the holidays that deadlines skip.</summary>
public static class HolidayCommands
{
    private const string DateHelp = "Write the date as yyyy-MM-dd, e.g. `/holiday add 2026-12-24 \"Annual closure\"`.";
    internal static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("ddd d MMM yyyy");

    public static readonly CommandDefinition Holiday = new("holiday", "Coordinator",
        ["/holiday add 2026-12-24 \"Annual closure\" [site=NAME]", "/holiday remove 2026-12-24 [site=NAME]"],
        "add or remove a holiday (no working day) for everyone or one site", HandleHolidayAsync);

    private static async Task HandleHolidayAsync(CommandContext ctx)
    {
        var ct = ctx.Cancellation;
        await using var db = await ctx.Services.GetRequiredService<IDbContextFactory<RolloutDb>>().CreateDbContextAsync(ct);
        var caller = await ctx.Services.GetRequiredService<CallerResolver>().ResolveAsync(ctx.Turn, db, ct);
        if (!caller.IsCoordinator)
        {
            ctx.Reply("Only coordinators can change holidays. `/calendar` shows them.");
            return;
        }
        var verb = ctx.Command.Verb;
        if (verb is not ("add" or "remove"))
        {
            ctx.Reply($"Say what to do with the holiday:\n- `{Holiday.Usage[0]}`\n- `{Holiday.Usage[1]}`");
            return;
        }
        if (ctx.Command.Positionals.Count < 2)
        {
            ctx.Reply($"Which date? {DateHelp}");
            return;
        }
        var typed = ctx.Command.Positionals[1];
        if (SchedulingOptionsValidator.Date(typed) is not { } date)
        {
            ctx.Reply($"'{typed}' is not a date. {DateHelp}");
            return;
        }
        Site? site = null;
        if (ctx.Command.Get("site") is { } siteName)
        {
            var lower = siteName.Trim().ToLower();
            site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Name.ToLower() == lower, ct);
            if (site is null)
            {
                ctx.Reply($"There is no site '{siteName}' in the Early Adopter registry. Check the spelling, or leave out site= for everyone.");
                return;
            }
        }
        var calendars = ctx.Services.GetRequiredService<WorkingCalendars>();
        if (verb == "add") await AddAsync(ctx, db, calendars, date, site);
        else await RemoveAsync(ctx, db, calendars, date, site);
    }

    private static async Task AddAsync(CommandContext ctx, RolloutDb db, WorkingCalendars calendars, LocalDate date, Site? site)
    {
        var name = string.Join(' ', ctx.Command.Positionals.Skip(2)).Trim();
        if (name.Length == 0)
        {
            ctx.Reply($"Give the holiday a name: `/holiday add {date:yyyy-MM-dd} \"Annual closure\"`.");
            return;
        }
        var now = ctx.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = Instant.FromDateTimeOffset(now).InZone(calendars.CoordinatorZone).Date;
        if (date < today)
        {
            ctx.Reply($"{Day.Format(date)} is in the past; holidays only change deadlines from now on. {DateHelp}");
            return;
        }
        var day = date.ToDateOnly();
        var existing = (await calendars.HolidaysAsync(db, site?.Id, ct: ctx.Cancellation))
            .FirstOrDefault(h => h.Date == day && (h.Site is null) == (site is null));
        if (existing is not null)
        {
            ctx.Reply($"{Day.Format(date)} is already a holiday for {Whom(site)}: \"{existing.Name}\".");
            return;
        }
        db.Holidays.Add(new Holiday { Date = day, Name = name, SiteId = site?.Id, AddedBy = ctx.Turn.UserId, AddedAt = now });
        await db.SaveChangesAsync(ctx.Cancellation);
        var weekend = WorkingCalendar.IsWeekend(date) ? $" It is a {date.DayOfWeek}, which was not a working day anyway." : "";
        ctx.Reply($"Added the holiday {Day.Format(date)} \"{name}\" for {Whom(site)}. Deadlines computed from now on skip it; " +
            $"deadlines already set are not moved.{weekend}");
    }

    private static async Task RemoveAsync(CommandContext ctx, RolloutDb db, WorkingCalendars calendars, LocalDate date, Site? site)
    {
        var day = date.ToDateOnly();
        var siteId = site?.Id;
        var deleted = await db.Holidays.Where(h => h.Date == day && h.SiteId == siteId).ExecuteDeleteAsync(ctx.Cancellation);
        if (deleted > 0)
        {
            ctx.Reply($"Removed the holiday {Day.Format(date)} for {Whom(site)}. It is a working day again for deadlines computed from now on.");
            return;
        }
        ctx.Reply(calendars.IsConfigured(day, site?.Name)
            ? $"The holiday {Day.Format(date)} comes from the configuration (Scheduling:Holidays); remove it there and restart the bot."
            : $"There is no holiday on {Day.Format(date)} for {Whom(site)}. `/calendar` lists them.");
    }

    private static string Whom(Site? site) => site is null ? "everyone" : $"site {site.Name}";
}
