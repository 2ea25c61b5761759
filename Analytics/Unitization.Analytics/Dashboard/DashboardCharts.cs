using Unitization.Analytics.Api;
using Unitization.Analytics.Dashboard.Charts;
using Unitization.Analytics.Queries;

namespace Unitization.Analytics.Dashboard;

/// <summary>The dashboard's charts: link usage against the throttle's link rates, replication lag, throttle bytes granted and waiting by class.</summary>
internal static class DashboardCharts
{
    public const string LinkUsage = "link-usage";
    public const string ReplicationLag = "replication-lag";
    public const string ThrottleClasses = "throttle-classes";

    /// <summary>The value axis of a byte chart reaches at least 1 KiB, so that an idle chart's ticks differ.</summary>
    private const double SmallestBytesTop = 1024;

    public static IReadOnlyDictionary<string, string> Draw(LinkUsageReport links, ReplicationLagReport lag, ThrottleView throttle)
    {
        var series = new List<ChartSeries>();
        var color = 0;
        foreach (var link in links.Links)
        {
            var name = $"{link.Source}→{link.Destination}";
            var c = SvgChart.Palette[color++ % SvgChart.Palette.Length];
            series.Add(new ChartSeries(name, [.. link.Points.Select(p => (p.Time, p.BytesPerSecond))], c));
            // the link's capacity is the rate the throttle budgets for it: one source for the figure
            var rate = throttle.LinkRates.FirstOrDefault(r => r.Source == link.Source && r.Destination == link.Destination);
            if (rate is not null && link.Points.Count > 0)
            {
                series.Add(new ChartSeries(name + " throttle rate", [(link.Points[0].Time, rate.BytesPerSecond), (link.Points[^1].Time, rate.BytesPerSecond)], c, Dashed: true));
            }
        }

        var lagSeries = new List<ChartSeries>
        {
            new("p50", [.. lag.Series.Select(p => (p.Time, p.P50))], SvgChart.Palette[0]),
            new("p99", [.. lag.Series.Select(p => (p.Time, p.P99))], SvgChart.Palette[1]),
        };

        var classes = throttle.Available
            ? SvgChart.Bars(
                ThrottleClasses,
                "Throttle: bytes granted and waiting by priority class",
                [.. throttle.Classes.SelectMany(c => new[] { ($"{c.Priority} granted", (double)c.GrantedBytes), ($"{c.Priority} waiting", (double)c.WaitingBytes) })],
                Units.Bytes,
                SmallestBytesTop)
            : SvgChart.Message(ThrottleClasses, "Throttle: granted and waiting by priority class", "throttle state unavailable: " + throttle.Problem);
        return new Dictionary<string, string>
        {
            [LinkUsage] = SvgChart.Lines(LinkUsage, "Link usage against the throttle's link rate", series, Units.Rate, SmallestBytesTop),
            [ReplicationLag] = SvgChart.Lines(ReplicationLag, "Replication lag (p50, p99)", lagSeries, Units.Seconds),
            [ThrottleClasses] = classes,
        };
    }
}
