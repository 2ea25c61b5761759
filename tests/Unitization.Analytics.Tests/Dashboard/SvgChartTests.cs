using System.Xml.Linq;
using Unitization.Analytics.Dashboard;
using Unitization.Analytics.Dashboard.Charts;

namespace Unitization.Analytics.Tests.Dashboard;

public sealed class SvgChartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lines_TwoSeries_WellFormedSvgWithOnePathEach()
    {
        var svg = SvgChart.Lines("usage", "Usage <&>", [
            new ChartSeries("dcA→dcB", [(T0, 1), (T0.AddMinutes(1), 3)], "#000"),
            new ChartSeries("capacity", [(T0, 5), (T0.AddMinutes(1), 5)], "#000", Dashed: true),
        ], Units.Rate);

        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("usage", doc.Root!.Attribute("data-chart")!.Value);
        Assert.Equal("4", doc.Root.Attribute("data-points")!.Value);
        Assert.Equal(2, doc.Descendants(ns + "path").Count(p => p.Attribute("class")?.Value == "series"));
    }

    [Fact]
    public void Lines_NoPoints_SaysNoData()
    {
        var svg = SvgChart.Lines("lag", "Lag", [new ChartSeries("p50", [], "#000")], Units.Seconds);
        Assert.Contains("no data in this window", svg, StringComparison.Ordinal);
        XDocument.Parse(svg);
    }

    [Fact]
    public void Bars_AllZeroBytes_AxisTicksDiffer()
    {
        var svg = SvgChart.Bars("classes", "Classes", [("High waiting", 0), ("Low waiting", 0)], Units.Bytes, smallestTop: 1024);
        var ticks = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text" && e.Attribute("text-anchor")?.Value == "end").Select(e => e.Value).ToList();
        Assert.Equal(5, ticks.Count);
        Assert.Equal(5, ticks.Distinct().Count());
        Assert.Equal("0 B", ticks[0]);
    }

    [Fact]
    public void Lines_Points_CarryHoverValuesOnA24HourUtcClock()
    {
        var svg = SvgChart.Lines("usage", "Usage", [new ChartSeries("dcA→dcB", [(T0.AddHours(13), 2048), (T0.AddHours(14), 1024)], "#000")], Units.Rate);
        var titles = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "circle").Select(c => c.Value).ToList();
        Assert.Equal(["dcA→dcB 13:00 UTC: 2 KiB/s", "dcA→dcB 14:00 UTC: 1 KiB/s"], titles);
        Assert.Contains(">13:00<", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_LongText_WrappedIntoLines()
    {
        var svg = SvgChart.Message("waits", "Waits", string.Join(' ', Enumerable.Repeat("word", 60)));
        Assert.True(XDocument.Parse(svg).Descendants().Count(e => e.Name.LocalName == "tspan") >= 3);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(125_000_000, "119 MiB")]
    public void Bytes_Values_BinaryUnits(double bytes, string text) => Assert.Equal(text, Units.Bytes(bytes));
}
