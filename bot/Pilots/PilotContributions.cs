using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rollout.Bot.Bulletins;
using Rollout.Bot.Hosting;
using Rollout.Bot.Status;
using Rollout.Bot.Storage;

namespace Rollout.Bot.Pilots;

/// <summary>
/// What pilots add to the shared surfaces: the bulletin's "status of the active pilots" (seed 000) with the decisions
/// since the last one, a /status section with the credits per site, pilot and role, the calendar (kick-offs, set-up and
/// post-mortem dues, run ends) and the Atom feed (wrap-up decisions). Pilots never name a restricted release.
/// </summary>
public static class PilotContributions
{
    public static IServiceCollection AddPilotContributions(IServiceCollection services)
    {
        services.AddContribution<BulletinSection>("active pilots", 200, _ => BulletinAsync);
        services.AddContribution<StatusSection>("pilots", 200, _ => StatusAsync);
        services.AddContribution<CalendarSource>("pilots", 200, _ => CalendarAsync);
        services.AddContribution<FeedSource>("pilot decisions", 200, _ => FeedAsync);
        return services;
    }

    private static Task<List<Pilot>> ActiveAsync(RolloutDb db, CancellationToken ct)
    {
        var active = PilotWorkflow.Open.ToList();
        return db.Pilots.AsNoTracking().Include(p => p.Participants).Include(p => p.History)
            .Where(p => active.Contains(p.State)).OrderBy(p => p.Id).ToListAsync(ct);
    }

    /// <summary>The VOs taking part that have not given feedback yet, while the pilot runs.</summary>
    private static IReadOnlyList<string> Waiting(Pilot p)
    {
        if (p.State is not (PilotState.Running or PilotState.Prolonged or PilotState.WrapUp)) return [];
        var gave = p.History.Select(h => h.Change).OfType<FeedbackGiven>().Where(f => f.Who == ParticipantKind.Vo).Select(f => f.Name).ToHashSet();
        return p.Vos(ParticipantState.Accepted).Where(v => !gave.Contains(v.Name)).Select(v => v.Name).ToList();
    }

    private static async Task<string?> BulletinAsync(BulletinContext c)
    {
        var active = await ActiveAsync(c.Db, c.Ct);
        var decidedKind = PilotChange.KindOf<WrapUpDecided>();
        var decisions = await c.Db.PilotHistory.AsNoTracking().Where(h => h.Kind == decidedKind && h.At >= c.Since && h.At < c.Now)
            .Join(c.Db.Pilots, h => h.PilotId, p => p.Id, (h, p) => new { p.Id, p.Title, p.NoFeedback, h.What }).OrderBy(x => x.Id).ToListAsync(c.Ct);
        if (active.Count == 0 && decisions.Count == 0) return null;
        var text = new StringBuilder("**Active pilots**\n");
        if (active.Count == 0) text.Append("- none\n");
        foreach (var p in active)
        {
            var sites = p.Sites(ParticipantState.Accepted).Select(s => s.Name).ToList();
            var waiting = Waiting(p);
            text.Append($"- **{p.Number}** {p.What}: {p.State.ToName()}; sites: {(sites.Count == 0 ? "none yet" : string.Join(", ", sites))}")
                .Append(PilotText.NextDate(p) is { } next ? $"; next: {next}" : "")
                .Append(waiting.Count > 0 ? $"; waiting for feedback from {string.Join(", ", waiting)}" : "")
                .Append(p.NoFeedback ? "; no feedback from users" : "").Append('\n');
        }
        foreach (var d in decisions)
            text.Append($"- decided: **P{d.Id}** {d.Title}: {d.What}{(d.NoFeedback ? " (no feedback from users was received)" : "")}\n");
        return text.ToString().TrimEnd();
    }

    private static async Task<string?> StatusAsync(StatusContext c)
    {
        var active = await ActiveAsync(c.Db, c.Ct);
        var credits = await PilotCredits.TotalsAsync(c.Db, null, null, c.Ct);
        if (active.Count == 0 && credits.Total == 0) return null;
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder("<h2>Pilot services</h2>");
        if (active.Count > 0)
        {
            html.Append("<table><tr><th>Pilot</th><th>State</th><th>Sites</th><th>Next</th></tr>");
            foreach (var p in active)
                html.Append($"<tr><td>{E(p.Number)} {E(p.What)}</td><td>{E(p.State.ToName())}</td>" +
                    $"<td>{E(string.Join(", ", p.Sites(ParticipantState.Accepted).Select(s => s.Name)))}</td><td>{E(PilotText.NextDate(p) ?? "")}</td></tr>");
            html.Append("</table>");
        }
        html.Append($"<h3>Pilot credits</h3><p>1 credit = 1 person-hour of effort (seed 001); {E(PilotCreditTotals.Format(credits.Total))} in all.</p>");
        foreach (var (title, list) in new[] { ("per site", credits.BySite), ("per pilot", credits.ByPilot), ("per role", credits.ByRole) })
        {
            html.Append($"<table><caption>Credits {title}</caption>");
            foreach (var x in list) html.Append($"<tr><td>{E(x.Name)}</td><td>{E(PilotCreditTotals.Format(x.Credits))}</td></tr>");
            html.Append("</table>");
        }
        return html.ToString();
    }

    private static async Task<IReadOnlyList<CalendarEvent>> CalendarAsync(CalendarContext c)
    {
        var events = new List<CalendarEvent>();
        foreach (var p in await ActiveAsync(c.Db, c.Ct))
        {
            string Uid(string what) => $"pilot-{p.Id}-{what}@{c.Authority}";
            var url = $"{c.BaseUrl}/status";
            if (p.KickOffAt is { } k && k >= c.Now.AddDays(-1) && k < c.Horizon)
                events.Add(new CalendarEvent(Uid("kick-off"), k, TimeSpan.FromMinutes(p.KickOffMinutes), $"Kick-off of pilot {p.Number}: {p.What}",
                    $"Sites, developers and VOs agree the set-up time ({p.SetupDays} working days) and the feedback period ({p.FeedbackDays}).", url));
            if (p.RunEndsAt is { } end && p.State is PilotState.Running or PilotState.Prolonged && end < c.Horizon)
                events.Add(new CalendarEvent(Uid("run-end"), end, TimeSpan.FromMinutes(30), $"Pilot {p.Number} run ends: wrap-up due",
                    "The agreed run is over: the wrap-up meeting decides production, prolongation or abandon.", url));
            foreach (var s in p.Sites(ParticipantState.Accepted))
            {
                if (s.PostMortemDue is { } due && s.PostMortemAt is null && due < c.Horizon)
                    events.Add(new CalendarEvent(Uid($"site-{s.SiteId}-post-mortem"), due, TimeSpan.FromMinutes(30),
                        $"Post-mortem due: pilot {p.Number} at {s.Name}", "Set-up, resource use and stability of the pilot service (seed 001 step 9).", url));
            }
        }
        return events;
    }

    private static async Task<IReadOnlyList<FeedEntry>> FeedAsync(FeedContext c)
    {
        var kind = PilotChange.KindOf<WrapUpDecided>();
        var rows = await c.Db.PilotHistory.AsNoTracking().Where(h => h.Kind == kind).OrderByDescending(h => h.At).Take(50)
            .Join(c.Db.Pilots, h => h.PilotId, p => p.Id, (h, p) => new { h.Id, h.At, h.Payload, Pilot = p }).ToListAsync(c.Ct);
        return rows.Select(r =>
        {
            var d = (WrapUpDecided)PilotChange.FromJson(r.Payload)!;
            var summary = $"Pilot P{r.Pilot.Id} ({r.Pilot.What}, a {r.Pilot.Category.Describe()}) was decided: {Names.Of(d.Decision)}." +
                (d.Guidelines is null ? "" : $" Deployment guidelines: {d.Guidelines}.") +
                (r.Pilot.NoFeedback ? " No feedback from users was received during the pilot." : "");
            return new FeedEntry($"pilot/{r.Pilot.Id}/decision/{r.Id}", $"Pilot P{r.Pilot.Id} {r.Pilot.Title}: {Names.Of(d.Decision)}", r.At, null,
                "pilots", summary);
        }).ToList();
    }
}
