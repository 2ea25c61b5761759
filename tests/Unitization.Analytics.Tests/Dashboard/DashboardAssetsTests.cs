using Unitization.Analytics.Dashboard;

namespace Unitization.Analytics.Tests.Dashboard;

public sealed class DashboardAssetsTests
{
    [Fact]
    public void Files_EveryServedFile_IsEmbeddedAndNotEmpty()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var (path, _) in DashboardAssets.Files.Append(("index.html", "text/html")))
        {
            using var stream = assembly.GetManifestResourceStream("Unitization.Analytics.Dashboard." + path);
            Assert.True(stream is { Length: > 0 }, path + " is not embedded");
        }
    }

    [Fact]
    public void Files_VendoredUPlot_ServedAsScriptAndStyle()
    {
        var types = DashboardAssets.Files.ToDictionary(f => f.Path, f => f.ContentType);
        Assert.StartsWith("text/javascript", types["vendor/uplot/uPlot.iife.min.js"], StringComparison.Ordinal);
        Assert.StartsWith("text/css", types["vendor/uplot/uPlot.min.css"], StringComparison.Ordinal);
        using var script = new StreamReader(typeof(DashboardAssets).Assembly.GetManifestResourceStream("Unitization.Analytics.Dashboard.vendor/uplot/uPlot.iife.min.js")!);
        Assert.Contains("uPlot", script.ReadToEnd(), StringComparison.Ordinal);
    }
}
