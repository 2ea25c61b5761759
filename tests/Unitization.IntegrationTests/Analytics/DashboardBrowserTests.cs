using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Unitization.TestUtils.Security;

namespace Unitization.IntegrationTests.Analytics;

/// <summary>The dashboard in a real browser, over traffic this test publishes to Kafka.</summary>
public sealed class DashboardBrowserTests(AnalyticsStack stack, BrowserFixture browser) : IClassFixture<AnalyticsStack>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Dashboard_KnownTraffic_ShowsTopTenAndEveryChart()
    {
        var prefix = "ui" + Guid.NewGuid().ToString("N")[..4];
        var now = DateTimeOffset.UtcNow;
        var records = TrafficSample.Make(prefix, jobs: 12, recordsPerJob: 30, now);
        var copies = TrafficSample.Replication(prefix, 60, now);
        await stack.PublishAsync(records.Concat(copies));
        Assert.True(await stack.WaitForTotalsAsync(prefix, records.Count + copies.Count, records.Sum(r => r.Bytes) + copies.Sum(r => r.Bytes), Deadline));

        var context = await (await browser.BrowserAsync()).NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1100 }, ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestCredentials.AdminToken } });
        await using var _ = context;
        var page = await context.NewPageAsync();
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(stack.BaseAddress, "/analytics?window=1h").ToString());
        await page.WaitForSelectorAsync("body[data-loaded='true']", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var loaded = watch.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"dashboard loaded in {loaded.TotalMilliseconds:0} ms (first load: the role's endpoints are cold)");
        await ReportWarmLoadAsync(page);

        // top 10: the twelve jobs ranked by cross-datacenter bytes, the largest first
        var expected = records.Where(r => r.CrossesDatacenters).GroupBy(r => r.Job)
            .Select(g => (Job: g.Key, Bytes: g.Sum(r => r.Bytes))).OrderByDescending(x => x.Bytes).Take(10).ToList();
        var rows = page.Locator("#top tbody tr");
        Assert.Equal(10, await rows.CountAsync());
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Job, await rows.Nth(i).GetAttributeAsync("data-job"));
            Assert.Equal(expected[i].Bytes.ToString(CultureInfo.InvariantCulture), await rows.Nth(i).GetAttributeAsync("data-bytes"));
        }

        // every chart is drawn by uPlot (a canvas and its legend): link usage and lag with data, throttle classes as bars
        foreach (var chart in new[] { "link-usage", "replication-lag", "throttle-classes" })
        {
            var canvas = page.Locator($"#chart-{chart} .uplot canvas");
            Assert.Equal(1, await canvas.CountAsync());
            Assert.True(await canvas.IsVisibleAsync(), chart + " is not visible");
            Assert.True(int.Parse(await page.Locator($"#chart-{chart}").GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture) > 0, chart + " has no data");
            Assert.Equal(0, await page.Locator($"#chart-{chart} p.empty:visible").CountAsync());
        }

        Assert.Equal(1, await page.Locator("#lag tbody tr").CountAsync());
        await PanelsMatchApiAsync(page);
        await HoverShowsValuesAsync(page);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.AddAttachment("dashboard.png", await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken), "image/png");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");

        // an SRE caps the top job from the dashboard: Throttle lists the cap with who set it; then lifts it
        var job = expected[0].Job;
        await page.FillAsync("#cap-job", job);
        await page.FillAsync("#cap-rate", "5");
        await page.FillAsync("#cap-by", "sre-on-call");
        await page.ClickAsync("#cap-form button[type=submit]");
        var capRow = page.Locator("#caps tbody tr", new PageLocatorOptions { HasText = job });
        await capRow.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Contains("sre-on-call", await capRow.InnerTextAsync(), StringComparison.Ordinal);
        var caps = await stack.Http.GetStringAsync(new Uri(stack.BaseAddress, "/api/v1/throttle/caps"), TestContext.Current.CancellationToken);
        Assert.Contains($"\"tenant\":\"{job}\"", caps, StringComparison.Ordinal);
        Assert.Contains("\"bytesPerSecond\":5242880", caps, StringComparison.Ordinal);

        await capRow.Locator("button").ClickAsync();
        await capRow.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        Assert.DoesNotContain(job, await stack.Http.GetStringAsync(new Uri(stack.BaseAddress, "/api/v1/throttle/caps"), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // the header's time range drives the query: every panel answers for the chosen window
        await page.SelectOptionAsync("#window", "6h");
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.startsWith('window 6h ')", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        Assert.StartsWith("Window 6h;", await page.Locator("#model").InnerTextAsync(), StringComparison.Ordinal);
        Assert.EndsWith("?window=6h", page.Url, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/")]
    public async Task Dashboard_ShortPath_RedirectsToThePage(string path)
    {
        // followed by hand: HttpClient drops the Authorization header on a redirect
        using var http = new TestHttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await http.GetAsync(new Uri(stack.BaseAddress, path), TestContext.Current.CancellationToken);
        Assert.True((int)redirect.StatusCode is >= 300 and < 400, $"{path}: {(int)redirect.StatusCode}");
        var page = new Uri(new Uri(stack.BaseAddress, path), redirect.Headers.Location!);
        Assert.EndsWith("/analytics", page.AbsolutePath, StringComparison.Ordinal);
        using var response = await http.GetAsync(page, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Each panel's figures against the dashboard API's answer for the same window.</summary>
    private async Task PanelsMatchApiAsync(IPage page)
    {
        var ct = TestContext.Current.CancellationToken;
        using var api = await ChartsMatchApiAsync(page, ct);
        var view = api.RootElement;

        // top 10: jobs and bytes as the API ranks them
        var jobs = view.GetProperty("top").GetProperty("jobs").EnumerateArray().ToList();
        var rows = page.Locator("#top tbody tr");
        for (var i = 0; i < jobs.Count; i++)
        {
            Assert.Equal(jobs[i].GetProperty("job").GetString(), await rows.Nth(i).GetAttributeAsync("data-job"));
            Assert.Equal(jobs[i].GetProperty("bytes").GetInt64().ToString(CultureInfo.InvariantCulture), await rows.Nth(i).GetAttributeAsync("data-bytes"));
        }

        // link capacity is the throttle's link rate (Throttle:Links, 100 MB/s here): in the table and as the chart's dashed line
        var rates = view.GetProperty("throttle").GetProperty("linkRates").EnumerateArray().ToList();
        Assert.Equal(2, rates.Count);
        foreach (var rate in rates)
        {
            var link = rate.GetProperty("source").GetString() + "→" + rate.GetProperty("destination").GetString();
            Assert.Equal(100_000_000d, rate.GetProperty("bytesPerSecond").GetDouble());
            Assert.Equal("100000000", await page.Locator($"#rates tbody tr[data-link='{link}']").GetAttributeAsync("data-rate"));
        }

        // throttle classes: the same classes, in the API's order, with granted and waiting columns
        var classes = view.GetProperty("throttle").GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("priority").GetString()).ToList();
        Assert.Equal(["High", "Normal", "Low"], classes);
        var shown = await page.Locator("#throttle tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.priority)");
        Assert.Equal(classes, shown);

        // replication lag: one row per link with the API's copy count
        var lagLinks = view.GetProperty("lag").GetProperty("links").EnumerateArray().ToList();
        Assert.Equal(lagLinks.Count, await page.Locator("#lag tbody tr").CountAsync());
        Assert.Equal(lagLinks[0].GetProperty("copies").GetInt64().ToString(CultureInfo.InvariantCulture), (await page.Locator("#lag tbody tr td").Nth(1).InnerTextAsync()).Trim());

        // one window everywhere, one clock (UTC, 24-hour)
        Assert.Equal("1h", view.GetProperty("suggestions").GetProperty("window").GetString());
        Assert.StartsWith("Window 1h;", await page.Locator("#model").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^window 1h · updated \d\d:\d\d:\d\d UTC", await page.Locator("#status").InnerTextAsync());

        // ingest footer: the API's consumed count or a later one (the page refreshes on its own)
        var consumed = view.GetProperty("ingest").GetProperty("consumed").GetInt64();
        var footer = await page.Locator("#ingest").InnerTextAsync();
        Assert.True(long.Parse(footer.Split(' ')[1], CultureInfo.InvariantCulture) >= consumed, footer);
    }

    /// <summary>
    /// The uPlot charts' data (window.dashboardCharts) against the dashboard API: every link's usage at each time, its
    /// throttle rate line, the lag percentiles, the classes' granted and waiting bytes. The page refreshes on its own
    /// and the window's edges move with the clock, so a mismatch is retried after the page's next refresh, three times
    /// at most; returns the API answer the page matched.
    /// </summary>
    private async Task<JsonDocument> ChartsMatchApiAsync(IPage page, CancellationToken ct)
    {
        string? mismatch = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var refreshes = await page.Locator("body").GetAttributeAsync("data-refreshes");
            var api = JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(stack.BaseAddress, "/api/v1/traffic/dashboard?window=1h"), ct));
            using var charts = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.dashboardCharts)"));
            mismatch = ChartMismatch(api.RootElement, charts.RootElement);
            if (mismatch is null)
            {
                return api;
            }

            api.Dispose();
            await page.WaitForFunctionAsync($"() => document.body.dataset.refreshes !== '{refreshes}'", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        }

        Assert.Fail("the charts differ from /api/v1/traffic/dashboard: " + mismatch);
        return null!;
    }

    /// <summary>The first difference between the charts' data and the API's answer, or null.</summary>
    private static string? ChartMismatch(JsonElement view, JsonElement charts)
    {
        static double[]? Column(JsonElement chart, string label)
        {
            var labels = chart.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
            var i = labels.IndexOf(label);
            return i < 0 ? null : [.. chart.GetProperty("data")[i + 1].EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble())];
        }

        static double Seconds(JsonElement time) => time.GetDateTimeOffset().ToUnixTimeMilliseconds() / 1000d;

        var usage = charts.GetProperty("link-usage");
        var times = usage.GetProperty("data")[0].EnumerateArray().Select(v => v.GetDouble()).ToList();
        var links = view.GetProperty("links").GetProperty("links").EnumerateArray().ToList();
        if (links.Count == 0)
        {
            return "the API has no link usage";
        }

        foreach (var link in links)
        {
            var name = link.GetProperty("source").GetString() + "→" + link.GetProperty("destination").GetString();
            var values = Column(usage, name);
            if (values is null)
            {
                return $"no series {name} on the link chart";
            }

            foreach (var point in link.GetProperty("points").EnumerateArray())
            {
                var at = times.IndexOf(Seconds(point.GetProperty("time")));
                if (at < 0 || values[at] != point.GetProperty("bytesPerSecond").GetDouble())
                {
                    return $"{name} at {point.GetProperty("time")}: chart {(at < 0 ? "none" : values[at])}, API {point.GetProperty("bytesPerSecond")}";
                }
            }

            var rate = view.GetProperty("throttle").GetProperty("linkRates").EnumerateArray()
                .First(r => r.GetProperty("source").GetString() + "→" + r.GetProperty("destination").GetString() == name).GetProperty("bytesPerSecond").GetDouble();
            if (Column(usage, name + " throttle rate") is not { Length: > 0 } limit || limit.Any(v => v != rate))
            {
                return $"{name}'s throttle rate line is not {rate}";
            }
        }

        var lag = charts.GetProperty("replication-lag");
        var series = view.GetProperty("lag").GetProperty("series").EnumerateArray().ToList();
        if (!series.Select(p => Seconds(p.GetProperty("time"))).SequenceEqual(lag.GetProperty("data")[0].EnumerateArray().Select(v => v.GetDouble()))
            || !series.Select(p => p.GetProperty("p50").GetDouble()).SequenceEqual(Column(lag, "p50") ?? [])
            || !series.Select(p => p.GetProperty("p99").GetDouble()).SequenceEqual(Column(lag, "p99") ?? []))
        {
            return "the lag chart's p50/p99 differ";
        }

        var classes = view.GetProperty("throttle").GetProperty("classes").EnumerateArray().ToList();
        var bars = charts.GetProperty("throttle-classes");
        if (!classes.Select(c => (double)c.GetProperty("grantedBytes").GetInt64()).SequenceEqual(Column(bars, "granted") ?? [])
            || !classes.Select(c => (double)c.GetProperty("waitingBytes").GetInt64()).SequenceEqual(Column(bars, "waiting") ?? []))
        {
            return "the throttle chart's granted/waiting bytes differ";
        }

        return null;
    }

    /// <summary>uPlot's cursor over the link chart: the legend shows the time in UTC (24-hour) and rates in byte units.</summary>
    private static async Task HoverShowsValuesAsync(IPage page)
    {
        var over = page.Locator("#chart-link-usage .u-over");
        var box = await over.BoundingBoxAsync();
        Assert.NotNull(box);
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.98f), box.Y + (box.Height / 2));
        var legend = page.Locator("#chart-link-usage .u-legend .u-value");
        await page.WaitForFunctionAsync("() => /UTC$/.test(document.querySelector('#chart-link-usage .u-legend .u-value').textContent)", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Matches(@"^\d{4}-\d\d-\d\d [0-2]\d:[0-5]\d:[0-5]\d UTC$", await legend.Nth(0).InnerTextAsync());
        var values = await legend.AllInnerTextsAsync();
        Assert.Contains(values.Skip(1), v => System.Text.RegularExpressions.Regex.IsMatch(v, @"^\d+(\.\d)? (B|KiB|MiB|GiB)/s$"));
    }

    /// <summary>
    /// The figure of the README: warm dashboard loads (navigation to the first rendered refresh: the page, its script
    /// and one dashboard call) against loading the same host's <c>/healthz</c> in the same browser, side by side,
    /// median of seven each. Printed, never asserted: the machines are shared.
    /// </summary>
    private static async Task ReportWarmLoadAsync(IPage page)
    {
        var dashboard = new List<double>();
        var baseline = new List<double>();
        var url = page.Url;
        var healthz = new Uri(new Uri(url), "/healthz").ToString();
        for (var i = 0; i < 7; i++)
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(healthz, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            baseline.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            await page.GotoAsync(url);
            await page.WaitForSelectorAsync("body[data-loaded='true']", new PageWaitForSelectorOptions { Timeout = 60_000 });
            dashboard.Add(watch.Elapsed.TotalMilliseconds);
        }

        var d = Median(dashboard);
        var b = Median(baseline);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard warm load median {d:0} ms against /healthz {b:0} ms in the same browser (ratio {d / b:0.0})"));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
