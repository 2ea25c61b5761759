using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Unitization.Host.Hosting;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;

namespace Unitization.IntegrationTests.Throttle;

/// <summary>
/// Two throttle processes over one real PostgreSQL state store: a cap or a link rate set through one is in force on the
/// other (the change feed carries it; nothing polls), and a restarted process starts with them.
/// </summary>
public sealed class ThrottleFleetTests : IDisposable
{
    private const double Rate = 4_000_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _first = new("throttle-fleet-a");
    private readonly TempDirectory _second = new("throttle-fleet-b");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task CapsAndRates_SetOnOneInstance_InForceOnTheOtherAndAfterItsRestart()
    {
        await using var store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, _ct);
        var first = await StartAsync(store, _first);
        var second = await StartAsync(store, _second);
        try
        {
            using var a = new TestHttpClient { BaseAddress = new Uri(first.Urls.First()) };
            using var b = new TestHttpClient { BaseAddress = new Uri(second.Urls.First()) };

            using (var put = await a.PutAsJsonAsync("api/v1/throttle/caps/job-x", new { bytesPerSecond = 250_000, setBy = "sre-alice", reason = "hogging" }, _ct))
            {
                put.EnsureSuccessStatusCode();
            }

            using (var rate = await a.PutAsJsonAsync("api/v1/throttle/links/dcA/dcB/rate", new { bytesPerSecond = 1_500_000, setBy = "sre-alice" }, _ct))
            {
                rate.EnsureSuccessStatusCode();
            }

            Assert.True(await Eventually.TrueAsync(async () => (await CapsAsync(b)).Contains("job-x:250000:sre-alice"), Deadline, _ct), "the cap never reached the other instance");
            Assert.True(await Eventually.TrueAsync(async () => await LinkRateAsync(b) == 1_500_000, Deadline, _ct), "the link rate never reached the other instance");

            // removed through the other one, gone on the first
            using (var delete = await b.DeleteAsync(new Uri("api/v1/throttle/caps/job-x?by=sre-bob", UriKind.Relative), _ct))
            {
                delete.EnsureSuccessStatusCode();
            }

            Assert.True(await Eventually.TrueAsync(async () => (await CapsAsync(a)).Count == 0, Deadline, _ct), "the first instance kept a removed cap");

            using (var put = await a.PutAsJsonAsync("api/v1/throttle/caps/job-y", new { bytesPerSecond = 90_000, setBy = "sre-carol" }, _ct))
            {
                put.EnsureSuccessStatusCode();
            }

            // a restart of the second process starts with what is stored
            await StopAsync(second);
            second = await StartAsync(store, _second);
            using var restarted = new TestHttpClient { BaseAddress = new Uri(second.Urls.First()) };
            Assert.Equal(["job-y:90000:sre-carol"], await CapsAsync(restarted));
            Assert.Equal(1_500_000, await LinkRateAsync(restarted));
        }
        finally
        {
            await StopAsync(first);
            await StopAsync(second);
        }
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }

    private async Task<WebApplication> StartAsync(TestStateStore store, TempDirectory data)
    {
        var app = UnitizationHost.Build(new ServeSettings(
            RepositoryPaths.ShippedConfig,
            Role.Throttle,
            "http://127.0.0.1:0",
            DataFolder: data.Path,
            Overrides: new Dictionary<string, string?>
            {
                ["StateStore:Provider"] = StateProviders.PostgreSql,
                ["StateStore:ConnectionString"] = store.ConnectionString,
                ["Throttle:Links:0:BytesPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
            }));
        await app.StartAsync(_ct);
        return app;
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private async Task<List<string>> CapsAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("api/v1/throttle/caps", _ct)).EnumerateArray()
            .Select(c => $"{c.GetProperty("tenant").GetString()}:{c.GetProperty("bytesPerSecond").GetDouble().ToString(CultureInfo.InvariantCulture)}:{c.GetProperty("setBy").GetString()}")];

    private async Task<double> LinkRateAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("api/v1/throttle/state", _ct)).GetProperty("links").EnumerateArray()
            .Single(l => l.GetProperty("link").GetString() == "dcA->dcB").GetProperty("bytesPerSecond").GetDouble();
}
