using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Unitization.TestUtils.Security;
using Unitization.Host.Hosting;
using Unitization.TestUtils;
using Unitization.TestUtils.Servers;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Client;
using Unitization.Throttle.Configuration;

namespace Unitization.IntegrationTests.Throttle;

/// <summary>The <c>throttle</c> role as <c>unitization serve</c> composes it, on loopback, with real lease clients.</summary>
public sealed class ThrottleServiceTests : IDisposable
{
    private const double Rate = 4_000_000;
    private static readonly LinkId Link = new("dcA", "dcB");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new("throttle-it");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lease_ServiceGoesAwayAndComesBack_ClientFallsBackThenRecovers()
    {
        var app = await StartAsync("http://127.0.0.1:0");
        var url = new Uri(app.Urls.First());
        using var http = new TestHttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var client = new LeasedBandwidthBudget(http, url, ClientOptions(url), TimeProvider.System);

        await SpendAsync(client, "rule-orders", 1 << 20);
        Assert.False(client.IsFallingBack);
        Assert.True(await GrantedAsync(http, url, "rule-orders") >= 1 << 20, "the service granted what the client spent");

        await app.StopAsync(_ct);
        await app.DisposeAsync();

        // the service is gone: spending goes on from the fallback share, and the client says so
        Assert.True(await Eventually.TrueAsync(
            async () =>
            {
                await SpendAsync(client, "rule-orders", 64 * 1024);
                return client.IsFallingBack;
            },
            Deadline,
            _ct));

        app = await StartAsync(url.ToString());
        try
        {
            Assert.True(await Eventually.TrueAsync(
                async () =>
                {
                    await SpendAsync(client, "rule-orders", 64 * 1024);
                    return !client.IsFallingBack;
                },
                Deadline,
                _ct));
            await SpendAsync(client, "rule-orders", 512 * 1024);
            Assert.True(await GrantedAsync(http, url, "rule-orders") > 0, "the new service instance leases again");
        }
        finally
        {
            await app.StopAsync(_ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Lease_TwoClientsSaturating_ShareOneBudget()
    {
        var app = await StartAsync("http://127.0.0.1:0");
        try
        {
            var url = new Uri(app.Urls.First());
            using var http = new TestHttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var a = new LeasedBandwidthBudget(http, url, ClientOptions(url), TimeProvider.System);
            using var b = new LeasedBandwidthBudget(http, url, ClientOptions(url), TimeProvider.System);
            var started = TimeProvider.System.GetTimestamp();
            await Task.WhenAll(SpendAsync(a, "job-a", 3 << 20), SpendAsync(b, "job-b", 3 << 20));
            var elapsed = TimeProvider.System.GetElapsedTime(started);

            var state = await StateAsync(http, url);
            var link = state.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("link").GetString() == Link.ToString());
            var granted = link.GetProperty("grantedBytes").GetInt64();
            // one budget: never more than the rate over the time taken, plus the burst and one lease per client ahead
            var ceiling = (Rate * elapsed.TotalSeconds) + link.GetProperty("burstBytes").GetDouble() + (2 * Rate * 0.05);
            Assert.True(granted <= ceiling, $"granted {granted} B in {elapsed}, ceiling {ceiling}");
            Assert.True(granted >= 6 << 20, "both clients' bytes came out of the service's budget");
            Assert.False(a.IsFallingBack || b.IsFallingBack);
        }
        finally
        {
            await app.StopAsync(_ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Caps_PutListDelete_ShowInStateAndRequireWho()
    {
        var app = await StartAsync("http://127.0.0.1:0");
        try
        {
            var url = new Uri(app.Urls.First());
            using var http = new TestHttpClient { BaseAddress = url };
            using var missingWho = await http.PutAsJsonAsync("api/v1/throttle/caps/job-x", new { bytesPerSecond = 1000 }, _ct);
            Assert.Equal(HttpStatusCode.BadRequest, missingWho.StatusCode);
            Assert.Contains("setBy", await missingWho.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);

            using var put = await http.PutAsJsonAsync("api/v1/throttle/caps/job-x", new { bytesPerSecond = 250_000, setBy = "sre-alice", reason = "hogging dcA->dcB" }, _ct);
            put.EnsureSuccessStatusCode();
            var caps = await http.GetFromJsonAsync<JsonElement>("api/v1/throttle/caps", _ct);
            var cap = Assert.Single(caps.EnumerateArray());
            Assert.Equal("job-x", cap.GetProperty("tenant").GetString());
            Assert.Equal("sre-alice", cap.GetProperty("setBy").GetString());
            Assert.Single((await StateAsync(http, url)).GetProperty("caps").EnumerateArray());

            using var delete = await http.DeleteAsync(new Uri("api/v1/throttle/caps/job-x?by=sre-bob", UriKind.Relative), _ct);
            delete.EnsureSuccessStatusCode();
            Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/v1/throttle/caps", _ct)).EnumerateArray());
            using var again = await http.DeleteAsync(new Uri("api/v1/throttle/caps/job-x?by=sre-bob", UriKind.Relative), _ct);
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
        finally
        {
            await app.StopAsync(_ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Caps_TenantWithSlashesAndColons_StoredAndRemovedUnderItsName()
    {
        var app = await StartAsync("http://127.0.0.1:0");
        try
        {
            using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };
            const string Job = "spark://cluster-1:7077/export./tmp/export_test";
            var path = "api/v1/throttle/caps/" + Uri.EscapeDataString(Job);

            using var put = await http.PutAsJsonAsync(path, new { bytesPerSecond = 250_000, setBy = "sre-alice" }, _ct);
            put.EnsureSuccessStatusCode();
            var cap = Assert.Single((await http.GetFromJsonAsync<JsonElement>("api/v1/throttle/caps", _ct)).EnumerateArray());
            Assert.Equal(Job, cap.GetProperty("tenant").GetString());

            using var delete = await http.DeleteAsync(new Uri(path + "?by=sre-bob", UriKind.Relative), _ct);
            delete.EnsureSuccessStatusCode();
            Assert.Empty((await http.GetFromJsonAsync<JsonElement>("api/v1/throttle/caps", _ct)).EnumerateArray());
        }
        finally
        {
            await app.StopAsync(_ct);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Leases_BadRequest_ProblemSaysWhichField()
    {
        var app = await StartAsync("http://127.0.0.1:0");
        try
        {
            using var http = new TestHttpClient { BaseAddress = new Uri(app.Urls.First()) };
            using var badLink = await http.PostAsJsonAsync("api/v1/throttle/leases", new { link = "dcA", priority = "Normal", tenant = "t", bytes = 10 }, _ct);
            Assert.Equal(HttpStatusCode.BadRequest, badLink.StatusCode);
            Assert.Contains("link", await badLink.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);

            using var unknown = await http.PostAsJsonAsync("api/v1/throttle/leases", new { link = "dcA->dcZ", priority = "Normal", tenant = "t", bytes = 10 }, _ct);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("Throttle:Links", await unknown.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync(_ct);
            await app.DisposeAsync();
        }
    }

    public void Dispose() => _data.Dispose();

    private static ThrottleOptions ClientOptions(Uri url) => new()
    {
        Links = [new LinkOptions { From = Link.From, To = Link.To, BytesPerSecond = Rate }],
        ServiceUrl = [url],
        LeaseSlice = TimeSpan.FromMilliseconds(50),
        LeaseTtl = TimeSpan.FromSeconds(1),
        FallbackShare = 0.25,
        RetryInterval = TimeSpan.FromMilliseconds(200),
    };

    private async Task<WebApplication> StartAsync(string urls)
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig,
            Role.Throttle,
            urls,
            DataFolder: _data.Path,
            Overrides: new Dictionary<string, string?>
            {
                ["Throttle:Links:0:BytesPerSecond"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Throttle:LeaseSlice"] = "00:00:00.050",
                ["Throttle:LeaseTtl"] = "00:00:01",
            }));
        await app.StartAsync(_ct);
        return app;
    }

    private async Task SpendAsync(IBandwidthBudget budget, string tenant, long bytes)
    {
        for (long spent = 0; spent < bytes; spent += 64 * 1024)
        {
            await budget.AcquireAsync(Link, TrafficPriority.Normal, tenant, 64 * 1024, _ct);
        }
    }

    private async Task<JsonElement> StateAsync(HttpClient http, Uri url) =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(url, "api/v1/throttle/state"), _ct);

    private async Task<long> GrantedAsync(HttpClient http, Uri url, string tenant)
    {
        var state = await StateAsync(http, url);
        return state.GetProperty("links").EnumerateArray()
            .SelectMany(l => l.GetProperty("tenants").EnumerateArray())
            .Where(t => t.GetProperty("tenant").GetString() == tenant)
            .Sum(t => t.GetProperty("grantedBytes").GetInt64());
    }
}
