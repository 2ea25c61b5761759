using System.Globalization;
using System.Net;
using System.Text;

namespace Unitization.Analytics.Dashboard.Charts;

/// <summary>
/// Charts drawn on the server as SVG (no script library, nothing fetched by the browser): a time chart of lines and
/// a bar chart. Every chart carries <c>data-chart</c> (its name) and <c>data-points</c> (how many values it drew).
/// </summary>
internal static class SvgChart
{
    private const int Width = 720;
    private const int Height = 260;
    private const int Left = 72;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 56;

    public static readonly string[] Palette = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d"];

    /// <summary>Hover marks (a point with its value as a tooltip) are drawn for series of at most this many points.</summary>
    private const int MaxHoverPoints = 400;

    /// <param name="name">The chart's name (<c>data-chart</c>).</param>
    /// <param name="title">Its title.</param>
    /// <param name="series">The lines.</param>
    /// <param name="formatValue">Formats an axis value and a hover value.</param>
    /// <param name="smallestTop">The least the value axis reaches, so an all-zero chart still has distinct ticks.</param>
    public static string Lines(string name, string title, IReadOnlyList<ChartSeries> series, Func<double, string> formatValue, double smallestTop = 1)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(formatValue);
        var points = series.Sum(s => s.Points.Count);
        var svg = Open(name, title, points);
        var all = series.SelectMany(s => s.Points).ToList();
        if (all.Count == 0)
        {
            return Empty(svg, "no data in this window");
        }

        var minT = all.Min(p => p.Time.ToUnixTimeSeconds());
        var maxT = Math.Max(minT + 1, all.Max(p => p.Time.ToUnixTimeSeconds()));
        var maxV = Math.Max(all.Max(p => p.Value), smallestTop) * 1.1;
        double X(DateTimeOffset t) => Left + (t.ToUnixTimeSeconds() - minT) * (Width - Left - Right) / (double)(maxT - minT);
        double Y(double v) => Height - Bottom - v * (Height - Top - Bottom) / maxV;

        Axes(svg, maxV, formatValue, minT, maxT);
        foreach (var s in series)
        {
            if (s.Points.Count == 0)
            {
                continue;
            }

            var path = new StringBuilder();
            foreach (var (time, value) in s.Points)
            {
                path.Append(path.Length == 0 ? 'M' : 'L').Append(F(X(time))).Append(',').Append(F(Y(value)));
            }

            var last = s.Points[^1].Value;
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"series\" data-series=\"{E(s.Name)}\" data-last=\"{last.ToString("R", CultureInfo.InvariantCulture)}\" d=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"")
                .Append(s.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty).Append("/>");
            if (s.Points.Count <= MaxHoverPoints && !s.Dashed)
            {
                foreach (var (time, value) in s.Points)
                {
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<circle class=\"point\" cx=\"{F(X(time))}\" cy=\"{F(Y(value))}\" r=\"3\" fill=\"{s.Color}\" fill-opacity=\"0.15\"><title>{E(s.Name)} {time.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC: {E(formatValue(value))}</title></circle>");
                }
            }
        }

        Legend(svg, series.Select(s => (s.Name, s.Color)).ToList());
        return svg.Append("</svg>").ToString();
    }

    public static string Bars(string name, string title, IReadOnlyList<(string Label, double Value)> bars, Func<double, string> formatValue, double smallestTop = 1)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(formatValue);
        var svg = Open(name, title, bars.Count);
        if (bars.Count == 0)
        {
            return Empty(svg, "no data");
        }

        var maxV = Math.Max(bars.Max(b => b.Value), smallestTop) * 1.1;
        var slot = (Width - Left - Right) / (double)bars.Count;
        Axes(svg, maxV, formatValue, null, null);
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            var h = value * (Height - Top - Bottom) / maxV;
            var x = Left + i * slot + slot * 0.15;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar\" data-label=\"{E(label)}\" data-value=\"{value.ToString("R", CultureInfo.InvariantCulture)}\" x=\"{F(x)}\" y=\"{F(Height - Bottom - h)}\" width=\"{F(slot * 0.7)}\" height=\"{F(h)}\" fill=\"{Palette[i % Palette.Length]}\"><title>{E(label)}: {E(formatValue(value))}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(x + slot * 0.35)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{E(label)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    public static string Message(string name, string title, string message) => Empty(Open(name, title, 0), message);

    private static StringBuilder Open(string name, string title, int points) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{E(name)}\" data-points=\"{points}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(title)}\">")
        .Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title><rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#fff\"/>");

    private static string Empty(StringBuilder svg, string message)
    {
        var lines = Wrap(message, 80);
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"empty\" x=\"{Width / 2}\" y=\"{Height / 2 - (lines.Count - 1) * 9}\" text-anchor=\"middle\" fill=\"#6b7280\" font-size=\"14\">");
        for (var i = 0; i < lines.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{Width / 2}\" dy=\"{(i == 0 ? 0 : 18)}\">{E(lines[i])}</tspan>");
        }

        return svg.Append("</text></svg>").ToString();
    }

    /// <summary>Splits text into lines of at most <paramref name="width"/> characters at spaces.</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    private static void Axes(StringBuilder svg, double maxV, Func<double, string> formatValue, long? minT, long? maxT)
    {
        for (var i = 0; i <= 4; i++)
        {
            var v = maxV * i / 4;
            var y = Height - Bottom - i * (Height - Top - Bottom) / 4.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#e5e7eb\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" font-size=\"11\" fill=\"#374151\">{E(formatValue(v))}</text>");
        }

        if (minT is { } from && maxT is { } to)
        {
            for (var i = 0; i <= 4; i++)
            {
                var t = DateTimeOffset.FromUnixTimeSeconds(from + (to - from) * i / 4);
                var x = Left + i * (Width - Left - Right) / 4.0;
                // UTC on a 24-hour clock, as the page's header
                var label = to - from > 2 * 86400 ? t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#374151\">{label}</text>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#9ca3af\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"#9ca3af\"/>");
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<(string Name, string Color)> entries)
    {
        var x = Left;
        foreach (var (name, color) in entries)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{Height - 20}\" width=\"12\" height=\"4\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 16}\" y=\"{Height - 14}\" font-size=\"11\" fill=\"#374151\">{E(name)}</text>");
            x += 24 + name.Length * 7;
        }
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
