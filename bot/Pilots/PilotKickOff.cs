using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Steps 3–7 of seed 001: the one-off kick-off meeting (date, time, zone, length) with the periods it agrees, the
/// start that sends the sites to set up, and each site's "set up" that starts its run on its own working calendar.
/// </summary>
public static class PilotKickOff
{
    public static async Task<Reply> PlanAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "plan a pilot's kick-off") is { } refused) return refused;
        var input = new CommandInput(s.Command, "date", "time", "tz", "length", "setup", "feedback", "every");
        var dateText = input.Required("date", "the day, like `date=2026-12-01`");
        var timeText = input.Required("time", "the start, like `time=14:00`");
        var zone = input.Optional("tz") ?? tools.Calendars.CoordinatorZone.Id;
        var tz = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone);
        if (tz is null) input.Problem($"`tz={zone}` is not a time zone I know: use an IANA name like Europe/Zurich.");
        var date = default(DateOnly);
        if (dateText.Length > 0 && !PilotCommand.TryDate(dateText, out date)) input.Problem($"`date={dateText}` is not a date like 2026-12-01.");
        var time = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(timeText);
        if (timeText.Length > 0 && !time.Success) input.Problem($"`time={timeText}` is not a time like 14:00.");
        var length = Number(input, "length", 60, 15, 480);
        var setup = Number(input, "setup", tools.Options.SetupDays, 1, 60);
        var feedback = Number(input, "feedback", pilot.Category.DefaultRunDays(), 1, 120);
        var every = Number(input, "every", tools.Options.FeedbackCadenceDays, 1, 20);
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot kickoff");
        var at = LocalDate.FromDateOnly(date).At(time.Value).InZoneLeniently(tz!).ToDateTimeOffset().ToUniversalTime();
        if (at <= s.Now) return Reply.No($"{PilotText.When(at, zone)} has passed; give a kick-off in the future.");

        if (pilot.PlanKickOff(new KickOffSet(at, zone, length, setup, feedback, every), s.Actor, s.Now) is { } why) return Reply.No(why);
        var card = PilotCards.KickOff(pilot);
        var key = $"{pilot.Subject}:kick-off:{at.UtcTicks}";
        await tools.Outbox.AddAsync(s.Db, key, PilotCommand.Room(pilot), card, null, s.Ct);
        foreach (var user in await PilotPeople.ParticipantsAsync(s.Db, pilot, s.Ct))
            await tools.Outbox.AddAsync(s.Db, key, NoticeRecipient.User(user), card, null, s.Ct);
        return $"Kick-off of {pilot.Number}: {PilotText.When(at, zone)}, {length} minutes; set-up {setup} working days, feedback {feedback} " +
            $"working days, VO reminders every {every}. Posted in the pilot's room (`/channel bind pilot {pilot.Number}` there) and /calendar.ics; " +
            $"after it, `/pilot start {pilot.Number}` sends the sites to set up.";
    }

    private static int Number(CommandInput input, string key, int fallback, int min, int max)
    {
        if (input.Optional(key) is not { } text) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        input.Problem($"`{key}={text}` must be a whole number from {min} to {max}.");
        return fallback;
    }

    public static async Task<Reply> StartAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "start a pilot") is { } refused) return refused;
        if (pilot.KickOffAt > s.Now) return Reply.No($"{pilot.Number}'s kick-off is {PilotText.When(pilot.KickOffAt.Value, pilot.KickOffZone!)}: start it after that.");
        if (pilot.Start(s.Actor, s.Now) is { } why) return Reply.No(why);
        var sites = pilot.Sites(ParticipantState.Accepted).ToList();
        foreach (var site in sites)
        {
            var calendar = await tools.Calendars.ForSiteAsync(s.Db, site.SiteId!.Value, s.Ct);
            var due = calendar.AddWorkingDays(s.Now, pilot.SetupDays);
            foreach (var admin in await PilotPeople.AdminsAsync(s.Db, site.SiteId.Value, s.Ct))
                await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:start:{site.SiteId}", NoticeRecipient.User(admin),
                    $"{pilot.Number} ({pilot.What}) starts: please set up the pilot service at {site.Name} by {PilotText.Utc(due)} " +
                    $"(mirror the repository if it is published in production) and say `/pilot setup {pilot.Number} site={site.Name}` when it runs. " +
                    "Changes to it are made by the site's service manager only.", s.Ct);
        }
        return $"{pilot.Number} is setting up at {string.Join(", ", sites.Select(x => x.Name))}; each site has {pilot.SetupDays} working days on its own calendar.";
    }

    public static async Task<Reply> SetUpAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var input = new CommandInput(s.Command, "site");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot setup");
        var (site, refused) = PilotCommand.SiteOf(s, pilot, input.Optional("site"), "report a site's pilot set-up");
        if (site is null) return refused!;
        if (site.State != ParticipantState.Accepted) return Reply.No($"{site.Name} has not accepted {pilot.Number}.");
        var calendar = await tools.Calendars.ForSiteAsync(s.Db, site.SiteId!.Value, s.Ct);
        var runEnds = calendar.AddWorkingDays(s.Now, pilot.FeedbackDays);
        var fourWeeks = calendar.AddWorkingDays(pilot.StartedAt ?? s.Now, tools.Options.PostMortemDays);
        var postMortemDue = fourWeeks > runEnds ? fourWeeks : calendar.AddWorkingDays(runEnds, 1);
        if (pilot.SetUp(site, runEnds, postMortemDue, s.Actor, s.Now) is { } why) return Reply.No(why);
        var running = pilot.State == PilotState.Running
            ? $" Every site is set up: {pilot.Number} runs until {PilotText.Utc(pilot.RunEndsAt!.Value)}."
            : $" Waiting for: {string.Join(", ", pilot.Sites(ParticipantState.Accepted).Where(x => x.SetUpAt is null).Select(x => x.Name))}.";
        return $"{site.Name} runs {pilot.Number} until {PilotText.Utc(runEnds)} ({pilot.FeedbackDays} working days on its calendar); " +
            $"its post-mortem report is due by {PilotText.Utc(postMortemDue)}.{running}";
    }
}
