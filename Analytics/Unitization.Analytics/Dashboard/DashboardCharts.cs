using Unitization.Analytics.Api;
using Unitization.Analytics.Dashboard.Charts;
using Unitization.Analytics.Queries;

namespace Unitization.Analytics.Dashboard;

/// <summary>The dashboard's charts: link usage against capacity, replication lag, throttle waits by priority.</summary>
internal static class DashboardCharts
{
    public const string LinkUsage = "link-usage";
    public const string ReplicationLag = "replication-lag";
    public const string ThrottleWaits = "throttle-waits";

    public static IReadOnlyDictionary<string, string> Draw(LinkUsageReport links, ReplicationLagReport lag, ThrottleView throttle)
    {
        var series = new List<ChartSeries>();
        var color = 0;
        foreach (var link in links.Links)
        {
            var name = $"{link.Source}→{link.Destination}";
            var c = SvgChart.Palette[color++ % SvgChart.Palette.Length];
            series.Add(new ChartSeries(name, [.. link.Points.Select(p => (p.Time, p.BytesPerSecond))], c));
            if (link.CapacityBytesPerSecond is { } capacity && link.Points.Count > 0)
            {
                series.Add(new ChartSeries(name + " capacity", [(link.Points[0].Time, capacity), (link.Points[^1].Time, capacity)], c, Dashed: true));
            }
        }

        var lagSeries = new List<ChartSeries>
        {
            new("p50", [.. lag.Series.Select(p => (p.Time, p.P50))], SvgChart.Palette[0]),
            new("p99", [.. lag.Series.Select(p => (p.Time, p.P99))], SvgChart.Palette[1]),
        };

        var waits = throttle.Available
            ? SvgChart.Bars(ThrottleWaits, "Throttle: bytes waiting by priority class", [.. throttle.WaitingByPriority.Select(w => (w.Priority, w.Waiting))], Units.Bytes)
            : SvgChart.Message(ThrottleWaits, "Throttle: waiting by priority class", "throttle state unavailable: " + throttle.Problem);
        return new Dictionary<string, string>
        {
            [LinkUsage] = SvgChart.Lines(LinkUsage, "Link usage against capacity", series, Units.Rate),
            [ReplicationLag] = SvgChart.Lines(ReplicationLag, "Replication lag (p50, p99)", lagSeries, Units.Seconds),
            [ThrottleWaits] = waits,
        };
    }
}
