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
