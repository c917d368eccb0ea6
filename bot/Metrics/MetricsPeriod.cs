using System.Globalization;

namespace Rollout.Bot.Metrics;

/// <summary>
/// The span metrics cover, [From, To) in UTC, and an optional stack. Dates are whole UTC days and <c>to</c> is
/// inclusive as people say it ("to=2026-03-31" includes the 31st). Without dates: the last 365 days.
/// </summary>
public sealed record MetricsPeriod(DateTimeOffset From, DateTimeOffset To, string? Stack)
{
    public const int DefaultDays = 365;
    public const string Format = "yyyy-MM-dd";

    /// <summary>The days a period may name: the calendar's own ends (0001, 9999) overflow the arithmetic on them.</summary>
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Latest = new(2999, 12, 31, 0, 0, 0, TimeSpan.Zero);
    private static string Range => $"between {Earliest.ToString(Format, CultureInfo.InvariantCulture)} and {Latest.ToString(Format, CultureInfo.InvariantCulture)}";

    public string FromDay => From.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
    public string ToDay => To.UtcDateTime.AddDays(-1).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Reads from/to/stack as typed; returns the problem in words when a value is unusable.</summary>
    public static (MetricsPeriod? Period, string? Error) Parse(string? from, string? to, string? stack, DateTimeOffset now, Func<string, string?> findStack, string stackList)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        DateTimeOffset end = today.AddDays(1), start;
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!TryDay(to, out var day)) return (null, $"'to={to}' is not a date: write it as {Format}, e.g. to=2026-03-31.");
            if (day < Earliest || day > Latest) return (null, $"'to={to}' is out of range: dates are {Range}.");
            end = day.AddDays(1);
        }
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!TryDay(from, out start)) return (null, $"'from={from}' is not a date: write it as {Format}, e.g. from=2026-01-01.");
            if (start < Earliest || start > Latest) return (null, $"'from={from}' is out of range: dates are {Range}.");
        }
        else start = end.AddDays(-DefaultDays);
        if (start >= end) return (null, $"'from' ({start:yyyy-MM-dd}) must be on or before 'to' ({end.AddDays(-1):yyyy-MM-dd}).");

        string? stackName = null;
        if (!string.IsNullOrWhiteSpace(stack))
        {
            stackName = findStack(stack);
            if (stackName is null) return (null, $"Unknown stack '{stack}': use one of {stackList}.");
        }
        return (new MetricsPeriod(start, end, stackName), null);
    }

    private static bool TryDay(string text, out DateTimeOffset day)
    {
        var ok = DateTime.TryParseExact(text.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
        day = ok ? new DateTimeOffset(date, TimeSpan.Zero) : default;
        return ok;
    }
}
