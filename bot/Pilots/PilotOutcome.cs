using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;

namespace Rollout.Bot.Pilots;

/// <summary>
/// Steps 8–10 of seed 001: feedback from VOs and sites, each site's post-mortem report, the wrap-up decision
/// (production, prolong to a new end, abandon) with its guidelines; a non-certified package flagged with its
/// justification; and a snooze of the post-mortem escalations.
/// </summary>
public static class PilotOutcome
{
    public static async Task<Reply> FeedbackAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var input = new CommandInput(s.Command, "site", "vo", "text");
        var text = input.Required("text", "the feedback, in quotes");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot feedback");
        var siteName = input.Optional("site");
        var isVo = siteName is null && (input.Optional("vo") is not null || pilot.Vos().Any(v => v.ContactUserId == s.Caller.UserId));
        var (who, refused) = isVo
            ? PilotCommand.VoOf(s, pilot, input.Optional("vo"), "give a VO's feedback")
            : PilotCommand.SiteOf(s, pilot, siteName, "give a site's feedback");
        if (who is null) return refused!;
        if (who.State != ParticipantState.Accepted) return Reply.No($"{who.Name} does not take part in {pilot.Number}.");
        if (pilot.Feedback(who.Kind, who.Name, text, s.Actor, s.Now) is { } why) return Reply.No(why);
        if (pilot.CoordinatorId is { } c)
            await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:feedback:{s.Now.UtcTicks}:{who.Name}", NoticeRecipient.User(c),
                $"Feedback on {pilot.Number} from {Names.Of(who.Kind)} {who.Name} ({s.Caller.Name}): {text}", s.Ct);
        return $"Thank you: {Names.Of(who.Kind)} {who.Name}'s feedback on {pilot.Number} is recorded and the pilot coordinator is told.";
    }

    public static async Task<Reply> PostMortemAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        var input = new CommandInput(s.Command, "site", "report");
        var report = input.Required("report", "the post-mortem: set-up, resource use, stability, in quotes");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot postmortem");
        var (site, refused) = PilotCommand.SiteOf(s, pilot, input.Optional("site"), "file a site's post-mortem report", leadMay: false);
        if (site is null) return refused!;
        if (pilot.PostMortem(site, report, s.Actor, s.Now) is { } why) return Reply.No(why);
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:post-mortem:{site.SiteId}", PilotCommand.Room(pilot),
            $"{site.Name}'s post-mortem report on {pilot.Number}: {report}", s.Ct);
        return $"{site.Name}'s post-mortem on {pilot.Number} is filed; the pilot's room has it.";
    }

    public static async Task<Reply> WrapUpAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "record a pilot's wrap-up decision") is { } refused) return refused;
        var input = new CommandInput(s.Command, "decision", "until", "guidelines", "notes");
        var text = input.Required("decision", "production, prolong or abandon");
        if (text.Length > 0 && !Names.TryParse<PilotDecision>(text, out _)) input.Problem($"`decision={text}` is not one of production, prolong, abandon.");
        Names.TryParse<PilotDecision>(text, out var decision);
        DateOnly? until = null;
        if (input.Optional("until") is { } u)
        {
            if (!PilotCommand.TryDate(u, out var d)) input.Problem($"`until={u}` is not a date like 2026-12-20.");
            else if (d <= DateOnly.FromDateTime(s.Now.UtcDateTime)) input.Problem($"`until={u}` has passed: a prolonged run ends in the future.");
            else until = d;
        }
        if (until is not null && decision != PilotDecision.Prolong) input.Problem("`until=` goes with decision=prolong only.");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot wrapup");
        var notes = input.Optional("notes");
        if (decision == PilotDecision.Abandon && notes is null) return Reply.No("Say why it is abandoned with `notes=\"…\"`.");
        var calendar = await tools.Calendars.ForChannelAsync(s.Db, s.Ct);
        DateTimeOffset? newEnd = until is { } day ? calendar.ToInstant(NodaTime.LocalDate.FromDateOnly(day).At(calendar.DayEnd)) : null;
        if (pilot.Decide(decision, input.Optional("guidelines"), until, newEnd, notes, s.Actor, s.Now) is { } why) return Reply.No(why);

        var summary = $"Wrap-up of {pilot.Number} ({pilot.What}): **{Names.Of(decision)}**" +
            (until is { } e ? $" until {e:yyyy-MM-dd}" : "") + (pilot.Guidelines is null ? "" : $". Deployment guidelines: {pilot.Guidelines}") +
            (pilot.NoFeedback ? ". No feedback from users was received during the pilot." : "") + (notes is null ? "" : $" ({notes})");
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:decided:{s.Now.UtcTicks}", PilotCommand.Coordinators, summary, s.Ct);
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:decided:{s.Now.UtcTicks}", PilotCommand.Room(pilot), summary, s.Ct);
        return summary + ".";
    }

    public static async Task<Reply> NonCertifiedAsync(CommandSession s, PilotTools tools)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (PilotCommand.RequireLead(s, pilot, "record non-certified software in a pilot") is { } refused) return refused;
        var input = new CommandInput(s.Command, "package", "justification");
        var package = input.Required("package", "the package and version, e.g. `package=cream-2.1.0-rc3`");
        var justification = input.Required("justification", "why it is used although not certified, in quotes (seed 001: justified, documented, recorded)");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot noncertified");
        if (!pilot.State.IsOpen()) return Reply.No($"{pilot.Number} is {pilot.State.ToName()}: nothing is installed for it any more.");
        pilot.FlagNonCertified(package, justification, s.Actor, s.Now);
        await tools.Outbox.AddAsync(s.Db, $"{pilot.Subject}:non-certified:{package}", PilotCommand.Coordinators,
            $"{pilot.Number} uses non-certified software: {package}. Justification ({s.Caller.Name}): {justification}", s.Ct);
        return $"{pilot.Number} is flagged as using non-certified {package}; the justification is recorded and shown with the pilot.";
    }

    public static async Task<Reply> SnoozeAsync(CommandSession s)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s);
        if (pilot is null) return missing!;
        if (s.Require(Role.Coordinator, "snooze a pilot's escalations") is { } refused) return refused;
        var input = new CommandInput(s.Command, "site", "until", "reason");
        var untilText = input.Required("until", "a date like 2026-12-20");
        var reason = input.Required("reason", "why the escalations wait, in quotes");
        var until = default(DateOnly);
        if (untilText.Length > 0 && !PilotCommand.TryDate(untilText, out until)) input.Problem($"`until={untilText}` is not a date like 2026-12-20.");
        else if (untilText.Length > 0 && until < DateOnly.FromDateTime(s.Now.UtcDateTime)) input.Problem($"`until={untilText}` is in the past.");
        if (!input.IsValid) return input.Refusal(PilotCommand.Usage, "/pilot snooze");
        var (site, no) = PilotCommand.SiteOf(s, pilot, input.Optional("site"), "snooze escalations");
        if (site is null) return no!;
        if (site.PostMortemAt is not null || site.SetUpAt is null) return Reply.No($"{site.Name} has no post-mortem outstanding for {pilot.Number}.");
        pilot.Note(new PostMortemSnoozed(site.SiteId!.Value, site.Name, until, reason), s.Actor, s.Now);
        return $"The post-mortem escalations for {site.Name} on {pilot.Number} wait until {until:yyyy-MM-dd}; they resume on the next working morning after it.";
    }
}
