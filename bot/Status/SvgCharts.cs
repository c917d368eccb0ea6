using System.Globalization;
using System.Net;
using System.Text;

namespace Rollout.Bot.Status;

public sealed record Series(string Name, string Color);

public sealed record StackedBar(string Label, IReadOnlyList<double> Values);

/// <summary>A bar with an optional target marker (a dark tick where the target lies on the same scale).</summary>
public sealed record TargetBar(string Label, double Value, double? Target);

/// <summary>
/// Charts as SVG text: no image library exists here and the page carries no script, so the server draws the
/// shapes and any browser or mail client shows them. Every bar has a &lt;title&gt; so its number can be read.
/// </summary>
public static class SvgCharts
{
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Vertical stacked bars, one per label, with a legend; empty data draws a "no data" note.</summary>
    public static string Stacked(string title, IReadOnlyList<Series> series, IReadOnlyList<StackedBar> bars)
    {
        const int width = 640, height = 260, left = 40, top = 30, bottom = 50, right = 10;
        var svg = Open(title, width, height);
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Values.Sum());
        if (max <= 0) return svg.Append(NoData(width, height)).Append("</svg>").ToString();
        var plotH = height - top - bottom;
        var slot = (double)(width - left - right) / bars.Count;
        Axis(svg, left, top, plotH, max, width - right);
        for (var i = 0; i < bars.Count; i++)
        {
            var x = left + i * slot + slot * 0.15;
            var y = (double)(top + plotH);
            for (var s = 0; s < series.Count && s < bars[i].Values.Count; s++)
            {
                var h = bars[i].Values[s] / max * plotH;
                if (h <= 0) continue;
                y -= h;
                svg.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(slot * 0.7)}\" height=\"{N(h)}\" fill=\"{series[s].Color}\">")
                   .Append($"<title>{E(bars[i].Label)} {E(series[s].Name)}: {N(bars[i].Values[s])}</title></rect>");
            }
            if (bars.Count <= 16 || i % 2 == 0)
                svg.Append($"<text x=\"{N(x + slot * 0.35)}\" y=\"{top + plotH + 14}\" font-size=\"10\" text-anchor=\"middle\">{E(bars[i].Label)}</text>");
        }
        for (var s = 0; s < series.Count; s++)
            svg.Append($"<rect x=\"{left + s * 110}\" y=\"{height - 18}\" width=\"10\" height=\"10\" fill=\"{series[s].Color}\"/>")
               .Append($"<text x=\"{left + s * 110 + 14}\" y=\"{height - 9}\" font-size=\"11\">{E(series[s].Name)}</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars with their value in <paramref name="unit"/> and, where given, a target tick.</summary>
    public static string Bars(string title, string unit, IReadOnlyList<TargetBar> bars, string color = "#4e79a7")
    {
        const int width = 640, left = 170, right = 60, row = 22, top = 30;
        var height = top + Math.Max(1, bars.Count) * row + 30;
        var svg = Open(title, width, height);
        var max = bars.Count == 0 ? 0 : bars.Max(b => Math.Max(b.Value, b.Target ?? 0));
        if (max <= 0) return svg.Append(NoData(width, height)).Append("</svg>").ToString();
        var plotW = width - left - right;
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = top + i * row;
            var w = b.Value / max * plotW;
            var late = b.Target is { } t && b.Value > t;
            svg.Append($"<text x=\"{left - 6}\" y=\"{y + 14}\" font-size=\"11\" text-anchor=\"end\">{E(b.Label)}</text>")
               .Append($"<rect x=\"{left}\" y=\"{y + 3}\" width=\"{N(Math.Max(w, 1))}\" height=\"{row - 8}\" fill=\"{(late ? "#e15759" : color)}\">")
               .Append($"<title>{E(b.Label)}: {N(b.Value)} {unit}{(b.Target is { } tt ? $" (target {N(tt)} {unit})" : "")}</title></rect>")
               .Append($"<text x=\"{N(left + w + 4)}\" y=\"{y + 14}\" font-size=\"10\">{N(b.Value)}</text>");
            if (b.Target is { } target)
            {
                var tx = left + target / max * plotW;
                svg.Append($"<line x1=\"{N(tx)}\" x2=\"{N(tx)}\" y1=\"{y + 1}\" y2=\"{y + row - 3}\" stroke=\"#222\" stroke-width=\"2\"/>");
            }
        }
        var note = bars.Any(b => b.Target is not null) ? $"{unit}; a black tick marks the target, red bars are over it" : unit;
        svg.Append($"<text x=\"{left}\" y=\"{height - 8}\" font-size=\"10\">{E(note)}</text>");
        return svg.Append("</svg>").ToString();
    }

    private static StringBuilder Open(string title, int width, int height) => new StringBuilder()
        .Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"sans-serif\">")
        .Append($"<title>{E(title)}</title>")
        .Append($"<text x=\"4\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{E(title)}</text>");

    private static void Axis(StringBuilder svg, int left, int top, int plotH, double max, int right)
    {
        svg.Append($"<line x1=\"{left}\" x2=\"{right}\" y1=\"{top + plotH}\" y2=\"{top + plotH}\" stroke=\"#888\"/>");
        svg.Append($"<text x=\"{left - 4}\" y=\"{top + 4}\" font-size=\"10\" text-anchor=\"end\">{N(max)}</text>");
        svg.Append($"<text x=\"{left - 4}\" y=\"{top + plotH}\" font-size=\"10\" text-anchor=\"end\">0</text>");
    }

    private static string NoData(int width, int height) =>
        $"<text x=\"{width / 2}\" y=\"{height / 2}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#666\">no data in this period</text>";
}
