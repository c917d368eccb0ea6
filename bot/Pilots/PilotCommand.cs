using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Conversation;
using Rollout.Bot.Notices;
using Rollout.Bot.Scheduling;

namespace Rollout.Bot.Pilots;

/// <summary>What the pilot commands need besides their session, given once where the feature registers them.</summary>
public sealed record PilotTools(Outbox Outbox, PilotsOptions Options, WorkingCalendars Calendars);

/// <summary>
/// <c>/pilot &lt;verb&gt; P1 …</c>: one command whose verbs follow the ten steps of seed 001, each in its own file, and
/// the checks they share: which pilot, and who is asking (task coordinator, the pilot's coordinator, an admin of a
/// site taking part, a VO's contact).
/// </summary>
public static class PilotCommand
{
    public static readonly string[] Usage =
    [
        "/pilot request title=\"…\" component=… version=… | ticket=#N category=… requester=\"…\" kind=vo|developer|emt|itr [objectives=\"…\"] [vos=atlas,cms]",
        "/pilot screen P1 accept|decline [reason=\"…\"]",
        "/pilot coordinator P1 user=…",
        "/pilot show P1",
        "/pilot candidates P1",
        "/pilot invite P1 site=…",
        "/pilot vo P1 name=… contact=…",
        "/pilot answer P1 accept|decline site=…|vo=… [reason=\"…\"]",
        "/pilot kickoff P1 date=YYYY-MM-DD time=HH:mm [tz=…] [length=60] [setup=5] [feedback=10] [every=3]",
        "/pilot start P1",
        "/pilot setup P1 site=…",
        "/pilot feedback P1 [site=…|vo=…] text=\"…\"",
        "/pilot postmortem P1 site=… report=\"…\"",
        "/pilot wrapup P1 decision=production|prolong|abandon [until=YYYY-MM-DD] [guidelines=\"…\"] [notes=\"…\"]",
        "/pilot noncertified P1 package=… justification=\"…\"",
        "/pilot snooze P1 site=… until=YYYY-MM-DD reason=\"…\"",
        "/pilot effort P1 task=… hours=N [site=…|vo=…|user=…]",
    ];

    public static CommandDefinition Definition(PilotTools tools) => new("pilot", "Pilots", Usage,
        "pilot services: request, screen, invite sites and VOs, kick-off, run, feedback, post-mortem, wrap-up", Writes: true,
        s => RunAsync(s, tools));

    private static Task<Reply> RunAsync(CommandSession s, PilotTools tools) => s.Command.Verb switch
    {
        "request" => PilotRequest.RequestAsync(s, tools),
        "screen" => PilotRequest.ScreenAsync(s, tools),
        "coordinator" => PilotRequest.AppointAsync(s, tools),
        "show" => PilotViews.ShowAsync(s),
        "candidates" => PilotInvitations.CandidatesAsync(s),
        "invite" => PilotInvitations.InviteSiteAsync(s, tools),
        "vo" => PilotInvitations.InviteVoAsync(s, tools),
        "answer" => PilotInvitations.AnswerAsync(s, tools),
        "kickoff" => PilotKickOff.PlanAsync(s, tools),
        "start" => PilotKickOff.StartAsync(s, tools),
        "setup" => PilotKickOff.SetUpAsync(s, tools),
        "feedback" => PilotOutcome.FeedbackAsync(s, tools),
        "postmortem" => PilotOutcome.PostMortemAsync(s, tools),
        "wrapup" => PilotOutcome.WrapUpAsync(s, tools),
        "noncertified" => PilotOutcome.NonCertifiedAsync(s, tools),
        "snooze" => PilotOutcome.SnoozeAsync(s),
        "effort" => PilotCredits.ReportAsync(s),
        var verb => Task.FromResult(Refusals.Problem(
            verb is null ? "Say what to do with a pilot, e.g. `/pilot request …` or `/pilot show P1`." : $"`/pilot {verb}` is not a thing I do.",
            Usage)),
    };

    /// <summary>"P1", "p1", "1" → 1.</summary>
    public static bool TryNumber(string? text, out long id)
    {
        id = 0;
        var t = text?.Trim().TrimStart('P', 'p', '#');
        return t is { Length: > 0 } && long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
    }

    /// <summary>The pilot named by the second word, with its participants (and history when asked); or the refusal to return.</summary>
    public static async Task<(Pilot? Pilot, Reply? Refusal)> FindAsync(CommandSession s, bool withHistory = false)
    {
        var verb = s.Command.Verb;
        var typed = s.Command.Positionals.Count > 1 ? s.Command.Positionals[1] : null;
        if (!TryNumber(typed, out var id))
            return (null, Refusals.Problem(typed is null ? "Name the pilot, like `P1` (`/pilots` lists them)." : $"`{typed}` is not a pilot number like P1.",
                Usage, $"/pilot {verb}"));
        IQueryable<Pilot> query = s.Db.Pilots.Include(p => p.Participants);
        if (withHistory) query = query.Include(p => p.History);
        var pilot = await query.FirstOrDefaultAsync(p => p.Id == id, s.Ct);
        return pilot is null ? (null, Reply.No($"There is no pilot P{id}. `/pilots` lists them.")) : (pilot, null);
    }

    /// <summary>The word after the pilot number (accept, decline…), lower-cased.</summary>
    public static string? Word(CommandSession s) => s.Command.Positionals.Count > 2 ? s.Command.Positionals[2].ToLowerInvariant() : null;

    /// <summary>The task coordinator or this pilot's coordinator may run it; otherwise the refusal.</summary>
    public static Reply? RequireLead(CommandSession s, Pilot pilot, string what) =>
        s.Caller.IsCoordinator || pilot.IsCoordinatedBy(s.Caller.UserId) ? null
            : Refusals.Role(s.Caller, $"coordinators or {pilot.Number}'s pilot coordinator ({pilot.CoordinatorName ?? "none appointed yet"})", what);

    /// <summary>The site participant named by site=, when the caller is one of its admins (or leads the pilot).</summary>
    public static (PilotParticipant? Site, Reply? Refusal) SiteOf(CommandSession s, Pilot pilot, string? name, string what, bool leadMay = true)
    {
        var sites = pilot.Sites().ToList();
        if (name is null)
        {
            var mine = sites.Where(p => p.SiteId is { } id && s.Caller.IsAdminOf(id)).ToList();
            if (mine.Count == 1) return (mine[0], null);
            return (null, Reply.No(mine.Count > 1
                ? $"You administer several sites of {pilot.Number} ({string.Join(", ", mine.Select(m => m.Name))}): say which with `site=…`."
                : $"Say which site with `site=…`; {pilot.Number}'s sites: {Describe(sites)}."));
        }
        var site = sites.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (site is null) return (null, Reply.No($"**{name}** is not a site of {pilot.Number}; its sites: {Describe(sites)}."));
        var may = (site.SiteId is { } sid && s.Caller.IsAdminOf(sid)) || (leadMay && (s.Caller.IsCoordinator || pilot.IsCoordinatedBy(s.Caller.UserId)));
        return may ? (site, null) : (null, Refusals.Role(s.Caller, $"the admins of {site.Name}", what));
    }

    /// <summary>The VO participant named by vo=, when the caller is its contact (or leads the pilot).</summary>
    public static (PilotParticipant? Vo, Reply? Refusal) VoOf(CommandSession s, Pilot pilot, string? name, string what)
    {
        var vos = pilot.Vos().ToList();
        var vo = name is null
            ? vos.Where(v => v.ContactUserId == s.Caller.UserId).ToList() is { Count: 1 } mine ? mine[0] : null
            : vos.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
        if (vo is null) return (null, Reply.No($"Say which VO with `vo=…`; {pilot.Number}'s VOs: {Describe(vos)}."));
        var may = vo.ContactUserId == s.Caller.UserId || s.Caller.IsCoordinator || pilot.IsCoordinatedBy(s.Caller.UserId);
        return may ? (vo, null) : (null, Refusals.Role(s.Caller, $"{vo.Name}'s contact ({vo.ContactUserId})", what));
    }

    public static string Describe(IEnumerable<PilotParticipant> ps) =>
        ps.Any() ? string.Join(", ", ps.Select(p => $"{p.Name} ({p.State.ToString().ToLowerInvariant()})")) : "none yet";

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The pilot's room (<c>/channel bind pilot P1</c>); notices wait in the outbox until one is bound.</summary>
    public static NoticeRecipient Room(Pilot pilot) => NoticeRecipient.Channel(NoticePurposes.Pilot, pilot.Number);

    public static NoticeRecipient Coordinators => NoticeRecipient.Channel(NoticePurposes.Operations);
}
