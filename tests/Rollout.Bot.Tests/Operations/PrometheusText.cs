using System.Globalization;
using System.Text.RegularExpressions;

namespace Rollout.Bot.Tests.Operations;

/// <summary>Reads samples out of Prometheus text exposition, the way a scraper would.</summary>
public static partial class PrometheusText
{
    public static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the sample <paramref name="name"/> whose labels include <paramref name="label"/> (e.g. outcome="sent"), or null.</summary>
    public static double? Value(string text, string name, string? label = null)
    {
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value != name) continue;
            if (label is not null && !m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)) continue;
            return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>Metric names announced with # TYPE.</summary>
    public static IReadOnlySet<string> Names(string text) =>
        TypeLine().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)(?: \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
