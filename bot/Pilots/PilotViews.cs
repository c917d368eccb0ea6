using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Rollout.Bot.Conversation;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Pilots;

/// <summary><c>/pilots</c> (by state) and <c>/pilot show P1</c> (one whole: who, sites, VOs, dates, feedback, decision, history).</summary>
public static class PilotViews
{
    public static readonly CommandDefinition List = new("pilots", "Everyone", ["/pilots [all]"],
        "pilot services by state (open ones; `all` adds the decided and declined)", Writes: false, ListAsync);

    private static async Task<Reply> ListAsync(CommandSession s)
    {
        var all = s.Command.Verb == "all";
        var open = PilotWorkflow.Open.ToList();
        var pilots = await s.Db.Pilots.AsNoTracking().Include(p => p.Participants)
            .Where(p => all || open.Contains(p.State)).OrderBy(p => p.Id).ToListAsync(s.Ct);
        if (pilots.Count == 0)
            return all ? "No pilots yet. Ask for one with `/pilot request …`." : "No open pilots. `/pilots all` shows the decided ones; `/pilot request …` asks for one.";
        var text = new StringBuilder($"**Pilots** ({pilots.Count})\n");
        foreach (var group in pilots.GroupBy(p => p.State).OrderBy(g => g.Key))
        {
            text.Append($"\n**{group.Key.ToName()}**\n");
            foreach (var p in group)
                text.Append($"- **{p.Number}** {p.What}, {p.Category.ToName()}; coordinator: {p.CoordinatorName ?? "none yet"}; " +
                    $"sites: {Sites(p)}{Next(p)}\n");
        }
        return text.ToString();
    }

    private static string Sites(Pilot p) => p.Sites(ParticipantState.Accepted).Any()
        ? string.Join(", ", p.Sites(ParticipantState.Accepted).Select(x => x.Name)) : "none yet";

    private static string Next(Pilot p) => PilotText.NextDate(p) is { } next ? $"; next: {next}" : "";

    public static async Task<Reply> ShowAsync(CommandSession s)
    {
        var (pilot, missing) = await PilotCommand.FindAsync(s, withHistory: true);
        if (pilot is null) return missing!;
        var p = pilot;
        var text = new StringBuilder($"**{p.Number}** {p.What} — **{p.State.ToName()}**\n");
        text.Append($"- category: {p.Category.Describe()} (partner level {Partners.Name(p.Category.PartnerLevel()!.Value)})\n");
        text.Append($"- requested by {p.Requester} ({Names.Of(p.RequesterKind)}) through {p.RequestedByName}, {PilotText.Utc(p.CreatedAt)}\n");
        if (p.TicketId is { } t) text.Append($"- release: #{t}\n");
        if (p.Objectives is not null) text.Append($"- objectives: {p.Objectives}\n");
        if (p.WantedVos is not null) text.Append($"- VOs asked for: {p.WantedVos}\n");
        text.Append($"- pilot coordinator: {(p.CoordinatorId is null ? "none yet" : $"{p.CoordinatorName} ({p.CoordinatorId})")}\n");
        if (p.KickOffAt is { } k)
            text.Append($"- kick-off: {PilotText.When(k, p.KickOffZone!)} ({p.KickOffMinutes} min); set-up {p.SetupDays} working days, " +
                $"feedback {p.FeedbackDays} working days, VO reminders every {p.CadenceDays}\n");
        if (p.RunEndsAt is { } end) text.Append($"- run ends: {PilotText.Utc(end)}\n");
        text.Append("- sites: ").Append(PilotCommand.Describe(p.Sites())).Append('\n');
        foreach (var site in p.Sites(ParticipantState.Accepted))
            text.Append($"  - {site.Name}: {(site.SetUpAt is null ? "setting up" : $"set up {PilotText.Utc(site.SetUpAt.Value)}")}" +
                $"{(site.PostMortemAt is not null ? "; post-mortem filed" : site.PostMortemDue is { } due ? $"; post-mortem due {PilotText.Utc(due)}" : "")}\n");
        text.Append("- VOs: ").Append(PilotCommand.Describe(p.Vos())).Append('\n');
        var feedback = p.History.Where(h => h.Kind == PilotChange.KindOf<FeedbackGiven>()).ToList();
        text.Append($"- feedback: {(feedback.Count == 0 ? "none yet" : feedback.Count.ToString(CultureInfo.InvariantCulture))}\n");
        if (p.NoFeedback) text.Append("- **no feedback from users** was received during the pilot\n");
        if (p.NonCertified is not null) text.Append($"- **non-certified software**: {p.NonCertified.Replace("\n", "; ")}\n");
        if (p.Decision is { } d) text.Append($"- decision: **{Names.Of(d)}**{(p.Guidelines is null ? "" : $"; guidelines: {p.Guidelines}")}\n");
        text.Append("\n**History**\n");
        foreach (var h in p.History.OrderBy(h => h.At).ThenBy(h => h.Id))
            text.Append($"- {PilotText.Utc(h.At)} {h.ByName}: {h.What}\n");
        return text.ToString();
    }
}

/// <summary>How pilot dates read in chat, and the pilot's next date for lists and the bulletin.</summary>
public static class PilotText
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"2026-12-01 14:00 Europe/Zurich".</summary>
    public static string When(DateTimeOffset at, string zone)
    {
        var tz = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? DateTimeZone.Utc;
        var local = Instant.FromDateTimeOffset(at).InZone(tz).LocalDateTime;
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone;
    }

    /// <summary>What comes next for the pilot and when: the kick-off, a set-up due, the run's end, a post-mortem due.</summary>
    public static string? NextDate(Pilot p) => p.State switch
    {
        PilotState.KickOffPlanned when p.KickOffAt is { } k => $"kick-off {When(k, p.KickOffZone!)}",
        PilotState.SettingUp when p.StartedAt is not null => $"set-up by the sites ({p.SetupDays} working days from {Utc(p.StartedAt.Value)})",
        PilotState.Running or PilotState.Prolonged when p.RunEndsAt is { } e => $"run ends {Utc(e)}",
        PilotState.WrapUp when p.Sites(ParticipantState.Accepted).Where(x => x.PostMortemAt is null).Min(x => x.PostMortemDue) is { } due =>
            $"post-mortem due {Utc(due)}",
        PilotState.WrapUp => "wrap-up decision",
        _ => null,
    };
}

public static class PilotQueries
{
    /// <summary>How many active pilots each site takes part in (accepted, not yet decided): its current pilot load.</summary>
    public static async Task<Dictionary<long, int>> LoadBySiteAsync(RolloutDb db, CancellationToken ct)
    {
        var active = PilotWorkflow.Active.ToList();
        var rows = await db.PilotParticipants.AsNoTracking()
            .Where(x => x.Kind == ParticipantKind.Site && x.State == ParticipantState.Accepted && x.SiteId != null)
            .Join(db.Pilots.Where(p => active.Contains(p.State)), x => x.PilotId, p => p.Id, (x, p) => x.SiteId!.Value)
            .ToListAsync(ct);
        return rows.GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
    }
}
