using System.Globalization;
using System.Text;

namespace Rollout.Bot.Metrics;

/// <summary>The report as a chat message (markdown) and as CSV rows of (section, name, metric, value).</summary>
public static class MetricsText
{
    public static string Hours(double? hours) => hours is { } h ? h.ToString("0.#", CultureInfo.InvariantCulture) + " h" : "–";

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Chat(MetricsReport r)
    {
        var text = new StringBuilder();
        text.Append($"**Metrics {r.Period.FromDay} to {r.Period.ToDay}**");
        if (r.Period.Stack is { } stack) text.Append($" · stack {stack}");
        text.Append('\n');
        text.Append($"Sites: {r.SitesCommitted} committed, {r.SitesActive} active. Releases: {r.Releases}");
        if (r.RestrictedReleases > 0) text.Append($" ({r.RestrictedReleases} restricted)");
        text.Append('\n');
        if (r.Releases == 0 && r.Sites.Count == 0) return text.Append("No releases and no site activity in this period.").ToString();

        text.Append("\n**Sites** (tickets · hours reported · median accept→report · median acceptance latency)\n");
        foreach (var s in r.Sites)
            text.Append($"- {s.Site}: {s.Tickets} · {Hours(s.HoursReported)} · {Hours(s.MedianHoursToReport)} · {Hours(s.MedianAcceptanceHours)}" +
                (s.Declined > 0 ? $" · passed on {s.Declined}" : "") + "\n");
        text.Append("\n**Components** (releases · rejections · warnings)\n");
        foreach (var c in r.Components) text.Append($"- {c.Component}: {c.Releases} · {c.Rejections} · {c.Warnings}\n");
        text.Append("\n**Table 3 steps** (within target · median time · median target)\n");
        foreach (var s in r.Steps.Where(s => s.Completed > 0))
            text.Append($"- {s.ReleaseType} step {s.Step} ({MetricsReport.StepNames[s.Step]}): {s.MetTarget}/{s.Completed} = {Percent(s.ShareMet)} · {Hours(s.MedianHours)} · {Hours(s.MedianTargetHours)}\n");
        if (r.PilotCredits is { Total: > 0 } credits)
        {
            text.Append($"\n**Pilot credits** (1 credit = 1 person-hour; {Pilots.PilotCreditTotals.Format(credits.Total)} in all)\n");
            text.Append("- per site: ").Append(Credits(credits.BySite)).Append('\n');
            text.Append("- per pilot: ").Append(Credits(credits.ByPilot)).Append('\n');
            text.Append("- per role: ").Append(Credits(credits.ByRole)).Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    private static string Credits(IReadOnlyList<Pilots.Credit> list) =>
        list.Count == 0 ? "none" : string.Join(", ", list.Select(x => $"{x.Name} {Pilots.PilotCreditTotals.Format(x.Credits)}"));

    public static string Csv(MetricsReport r)
    {
        var csv = new StringBuilder("section,name,metric,value\r\n");
        void Row(string section, string name, string metric, object? value) =>
            csv.Append(Field(section)).Append(',').Append(Field(name)).Append(',').Append(Field(metric)).Append(',')
               .Append(Field(value switch { null => "", double d => d.ToString("0.###", CultureInfo.InvariantCulture), _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" }))
               .Append("\r\n");

        Row("period", "", "from", r.Period.FromDay);
        Row("period", "", "to", r.Period.ToDay);
        Row("period", "", "stack", r.Period.Stack);
        Row("totals", "", "sites_committed", r.SitesCommitted);
        Row("totals", "", "sites_active", r.SitesActive);
        Row("totals", "", "releases", r.Releases);
        Row("totals", "", "restricted_releases", r.RestrictedReleases);
        foreach (var s in r.Sites)
        {
            Row("site", s.Site, "tickets", s.Tickets);
            Row("site", s.Site, "hours_reported", s.HoursReported);
            Row("site", s.Site, "median_hours_to_report", s.MedianHoursToReport);
            Row("site", s.Site, "median_acceptance_hours", s.MedianAcceptanceHours);
            Row("site", s.Site, "declined", s.Declined);
        }
        foreach (var c in r.Components)
        {
            Row("component", c.Component, "releases", c.Releases);
            Row("component", c.Component, "rejections", c.Rejections);
            Row("component", c.Component, "warnings", c.Warnings);
        }
        foreach (var s in r.Steps)
        {
            var name = $"{s.ReleaseType} step {s.Step}";
            Row("step", name, "completed", s.Completed);
            Row("step", name, "met_target", s.MetTarget);
            Row("step", name, "share_met", s.ShareMet);
            Row("step", name, "median_hours", s.MedianHours);
            Row("step", name, "median_target_hours", s.MedianTargetHours);
        }
        if (r.PilotCredits is { } credits)
        {
            foreach (var x in credits.BySite) Row("pilot_credits_site", x.Name, "credits", (double)x.Credits);
            foreach (var x in credits.ByPilot) Row("pilot_credits_pilot", x.Name, "credits", (double)x.Credits);
            foreach (var x in credits.ByRole) Row("pilot_credits_role", x.Name, "credits", (double)x.Credits);
        }
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading = + - @ is prefixed so a spreadsheet never runs a site name as a formula.</summary>
    private static string Field(string? value)
    {
        value ??= "";
        if (value.Length > 0 && "=+-@".Contains(value[0]) && !double.TryParse(value, CultureInfo.InvariantCulture, out _)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
