using System.Net;
using System.Text;
using NodaTime.Text;
using Rollout.Bot.Metrics;
using Rollout.Bot.Tickets;

namespace Rollout.Bot.Status;

/// <summary>The read-only status page: plain HTML with inline SVG, no script, no restricted release, no e-mail address.</summary>
public static class StatusPage
{
    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM yyyy HH:mm");

    public static readonly IReadOnlyList<Series> OutcomeSeries =
        [new("success", "#59a14f"), new("warning", "#edc948"), new("reject", "#e15759"), new("in progress", "#bab0ac")];

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays} d {age.Hours} h" : $"{(int)age.TotalHours} h {age.Minutes} min";

    public static string ReleasesChart(MetricsReport r) => SvgCharts.Stacked("Releases per month by outcome", OutcomeSeries,
        r.Months.Select(m => new StackedBar(m.Month, [m.Success, m.Warning, m.Reject, m.InProgress])).ToList());

    public static string StepsChart(MetricsReport r) => SvgCharts.Bars("Median time per step against its Table 3 target", "hours",
        r.Steps.Where(s => s.MedianHours is not null)
            .Select(s => new TargetBar($"{s.ReleaseType} step {s.Step}", s.MedianHours!.Value, s.MedianTargetHours)).ToList());

    public static string LatencyChart(MetricsReport r) => SvgCharts.Bars("Median acceptance latency by site (verified → accepted)", "hours",
        r.Sites.Where(s => s.MedianAcceptanceHours is not null).Take(25)
            .Select(s => new TargetBar(s.Site, s.MedianAcceptanceHours!.Value, null)).ToList(), "#76b7b2");

    public static string Render(StatusModel m)
    {
        var html = Head("Staged rollout status");
        html.Append($"<h1>Staged rollout status</h1><p class=\"muted\">As of {E(TicketCommand.When(m.Now))}. Restricted (security) releases are not shown.</p>");

        html.Append($"<h2>Releases in progress ({m.InProgressTotal})</h2>");
        if (m.InProgress.Count == 0) html.Append("<p>None.</p>");
        else
        {
            html.Append("<table><tr><th>#</th><th>Release</th><th>Type</th><th>State</th><th>Age</th><th>Sites</th><th>Missed targets</th></tr>");
            foreach (var r in m.InProgress)
                html.Append($"<tr><td>{E(r.Ticket.Number)}</td><td>{E(r.Ticket.Component)} {E(r.Ticket.Version)} <span class=\"muted\">{E(r.Ticket.Stack)}</span></td>")
                    .Append($"<td>{E(r.Ticket.Type.ToName())}</td><td>{E(r.Ticket.State.ToName())}</td><td>{E(Age(r.Age))}</td>")
                    .Append($"<td>{E(r.Sites.Count == 0 ? "–" : string.Join(", ", r.Sites))}</td>")
                    .Append($"<td class=\"{(r.MissedTargets.Count > 0 ? "late" : "")}\">{E(r.MissedTargets.Count == 0 ? "–" : string.Join("; ", r.MissedTargets))}</td></tr>");
            html.Append("</table>");
            if (m.InProgressTotal > m.InProgress.Count) html.Append($"<p class=\"muted\">Newest {m.InProgress.Count} shown.</p>");
        }

        html.Append("<h2>Recently released to production</h2>");
        if (m.RecentProduction.Count == 0) html.Append("<p>None yet.</p>");
        else
        {
            html.Append("<ul>");
            foreach (var t in m.RecentProduction)
            {
                var name = $"{t.Component} {t.Version}";
                var link = t.NotesUrl is null ? E(name) : $"<a href=\"{E(t.NotesUrl)}\">{E(name)}</a>";
                html.Append($"<li>{link} · {E(t.Stack)} · {E(t.Type.ToName())} · {E(t.Outcome?.ToName())} · {E(TicketCommand.When(t.UpdatedAt))}</li>");
            }
            html.Append("</ul><p><a href=\"/feed.atom\">Atom feed of production releases</a> · <a href=\"/calendar.ics\">Calendar (iCalendar)</a></p>");
        }

        html.Append($"<h2>Metrics, {E(m.Metrics.Period.FromDay)} to {E(m.Metrics.Period.ToDay)}</h2>")
            .Append($"<p>{m.Metrics.SitesCommitted} sites committed, {m.Metrics.SitesActive} active; {m.Metrics.Releases} releases.</p>")
            .Append("<figure>").Append(ReleasesChart(m.Metrics)).Append("</figure>")
            .Append("<figure>").Append(StepsChart(m.Metrics)).Append("</figure>")
            .Append("<figure>").Append(LatencyChart(m.Metrics)).Append("</figure>")
            .Append("<p><a href=\"/api/metrics\">Metrics as JSON</a> · <a href=\"/api/metrics?format=csv\">as CSV</a></p>");

        html.Append("<h2>Components looking for early adopters</h2>");
        html.Append(m.Vacancies.Count == 0 ? "<p>None: every component has a committed site.</p>"
            : "<ul>" + string.Concat(m.Vacancies.Select(c => $"<li>{E(c.Name)} <span class=\"muted\">{E(c.Stack)}</span></li>")) + "</ul>");

        html.Append("<h2>Next meetings</h2>");
        html.Append(m.Meetings.Count == 0 ? "<p>No meetings configured.</p>"
            : "<ul>" + string.Concat(m.Meetings.Select(o => $"<li>{E(o.Meeting.Name)}: {E(Local.Format(o.LocalStart))} {E(o.Meeting.Zone.Id)}</li>")) + "</ul>");

        foreach (var section in m.Sections ?? []) html.Append(section);

        html.Append("<h2>Bulletin archive</h2>");
        html.Append(m.Bulletins.Count == 0 ? "<p>No bulletins yet.</p>"
            : "<ul>" + string.Concat(m.Bulletins.Select(b => $"<li><a href=\"/status/bulletins/{b.Id}\">{E(b.Meeting)}, {E(TicketCommand.When(b.MeetingAt))}</a></li>")) + "</ul>");
        return html.Append("</body></html>").ToString();
    }

    public static string Bulletin(string meeting, DateTimeOffset at, string text) =>
        Head($"Bulletin: {meeting}")
            .Append($"<p><a href=\"/status\">← Status</a></p><h1>Bulletin: {E(meeting)}</h1><p class=\"muted\">Meeting of {E(TicketCommand.When(at))}</p>")
            .Append("<article>").Append(BulletinHtml.Render(text)).Append("</article></body></html>").ToString();

    private static StringBuilder Head(string title) => new StringBuilder()
        .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .Append($"<title>{E(title)}</title><style>")
        .Append("body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#222}")
        .Append("table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;font-size:.9rem}")
        .Append(".muted{color:#666}.late{color:#b00}figure{margin:1rem 0}svg{max-width:100%;height:auto}pre{white-space:pre-wrap}")
        .Append("</style></head><body>");
}
