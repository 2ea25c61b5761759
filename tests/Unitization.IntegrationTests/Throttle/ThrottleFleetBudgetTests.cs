using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Unitization.IntegrationTests.Fleet;
using Unitization.StateStore;
using Unitization.TestUtils;
using Unitization.TestUtils.Security;
using Unitization.TestUtils.Servers;
using Unitization.TestUtils.StateStore;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Client;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.State;

namespace Unitization.IntegrationTests.Throttle;

/// <summary>
/// One link budget across a fleet: two <c>unitization serve --roles throttle</c> processes over one PostgreSQL. Clients
/// that list both (each its own first) get no more than the link's rate in total, counted over a window of granted
/// bytes against rate x window; after kill -9 of the instance holding the budgets the other grants the whole rate, and
/// a High tenant still gets more than a Low one, which still gets its share.
/// </summary>
public sealed class ThrottleFleetBudgetTests : IDisposable
{
    private const double Rate = 1_000_000;
    private const int Chunk = 32 * 1024;
    private const long Window = 3_000_000; // bytes counted per measurement: 3 s at the link's rate
    private static readonly LinkId Link = new("dcA", "dcB");
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new("throttle-fleet-budget");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly long[] _spentByPriority = new long[Enum.GetValues<TrafficPriority>().Length];

    [Fact]
    public async Task Leases_TwoInstancesThenOneKilled_TotalNeverAboveTheLinkRateAndTheSurvivorGrantsAllOfIt()
    {
        await using var store = await TestStateStore.CreateAsync(StateProviders.PostgreSql, _ct);
        var environment = new Dictionary<string, string?>
        {
            ["UNITIZATION_StateStore__Provider"] = StateProviders.PostgreSql,
            ["UNITIZATION_StateStore__ConnectionString"] = store.ConnectionString,
            ["UNITIZATION_StateStore__LeaderLeaseDuration"] = "00:00:02",
            ["UNITIZATION_StateStore__LeaderRenewInterval"] = "00:00:00.400",
            ["UNITIZATION_Throttle__Links__0__BytesPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
            ["UNITIZATION_Throttle__LeaseSlice"] = "00:00:00.050",
            ["UNITIZATION_Throttle__LeaseTtl"] = "00:00:01",
        };
        string[] arguments = ["serve", "--config", RepositoryPaths.ShippedConfig, "--data", _data.Path];
        using var first = new FleetProcess("throttle-1", "throttle", arguments, environment);
        using var second = new FleetProcess("throttle-2", "throttle", arguments, environment);
        first.Start();
        second.Start();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var spenders = new List<Task>();
        try
        {
            foreach (var process in new[] { first, second })
            {
                Assert.True(await Eventually.TrueAsync(() => process.HealthyAsync(_ct), Startup, _ct), "not healthy:\n" + process.Tail());
            }

            // exactly one of them grants: the other is a standby that sends its clients on
            FleetProcess? leader = null;
            Assert.True(
                await Eventually.TrueAsync(
                    async () =>
                    {
                        var answers = new[] { await LeaseStatusAsync(first), await LeaseStatusAsync(second) };
                        leader = answers[0] == HttpStatusCode.OK ? first : answers[1] == HttpStatusCode.OK ? second : null;
                        return answers.Count(a => a == HttpStatusCode.OK) == 1 && answers.Count(a => a == HttpStatusCode.ServiceUnavailable) == 1;
                    },
                    Deadline,
                    _ct),
                "not one leader and one standby:\n" + first.Tail() + "\n" + second.Tail());
            var survivor = leader == first ? second : first;
            // each instance's state says its part: the leader with its fencing epoch, the standby without one
            var leading = await RoleAsync(leader!);
            Assert.Equal("leader", leading.State);
            Assert.NotNull(leading.Epoch);
            Assert.True(
                await Eventually.TrueAsync(async () => await RoleAsync(survivor) == new ThrottleRole("standby", null), Deadline, _ct),
                $"the other instance's state says {await RoleAsync(survivor)}, not a standby");

            // two client processes, each asking its own instance first, High and Low tenants in both
            using var toFirst = Client(first, second);
            using var toSecond = Client(second, first);
            foreach (var (client, name) in new[] { (toFirst, "a"), (toSecond, "b") })
            {
                spenders.Add(SpendAsync(client, TrafficPriority.High, $"high-{name}", stop.Token));
                spenders.Add(SpendAsync(client, TrafficPriority.Low, $"low-{name}", stop.Token));
                spenders.Add(SpendAsync(client, TrafficPriority.Normal, $"normal-{name}", stop.Token));
            }

            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Spent() >= Window / 3), Deadline, _ct), "the clients got nothing");
            var both = await MeasureAsync("both instances up");
            AssertAtMostTheRate(both, "both instances up");

            leader!.Kill();
            // the survivor takes the budgets over once the dead one's lease runs out (2 s) and its leases have (1 s)
            Assert.True(
                await Eventually.TrueAsync(async () => await LeaseStatusAsync(survivor) == HttpStatusCode.OK, Deadline, _ct),
                "the survivor never granted:\n" + survivor.Tail());
            var took = await RoleAsync(survivor);
            Assert.Equal("leader", took.State);
            Assert.True(took.Epoch > leading.Epoch, $"the new leader's epoch {took.Epoch} is not above its predecessor's {leading.Epoch}");
            Assert.True(
                await Eventually.TrueAsync(() => Task.FromResult(!toFirst.IsFallingBack && !toSecond.IsFallingBack), Deadline, _ct),
                "the clients never came back from their fallback share");
            // a second of the survivor's new part first, then up to three windows: each stays within the rate, and one
            // must show the survivor granting the link (a survivor granting half of it fails all three); on a loaded
            // machine a window can lose a second to the wait for a core (0.65 of the link over 4.7 s in one CI run,
            // beside two fuzz suites, where alone it is 0.96-0.99)
            AssertAtMostTheRate(await MeasureAsync("settling after the kill", Window / 3), "settling after the kill");
            long[] before;
            (long Bytes, double Seconds) after;
            var windows = 0;
            do
            {
                before = SpentByPriority();
                after = await MeasureAsync("one instance killed");
                AssertAtMostTheRate(after, "one instance killed");
            }
            while (++windows < 3 && after.Bytes < 0.7 * Rate * after.Seconds);

            Assert.True(after.Bytes >= 0.7 * Rate * after.Seconds, $"after the kill the survivor granted under 0.7 of the {Rate} B/s link in each of {windows} windows (the last: {after.Bytes / after.Seconds:F0} B/s)");
            // every client left its fallback share above: no tenant still waits out the 2 % there while the others lease
            var spent = SpentByPriority().Zip(before, (now, then) => now - then).ToArray();
            var (high, normal, low) = (spent[(int)TrafficPriority.High], spent[(int)TrafficPriority.Normal], spent[(int)TrafficPriority.Low]);
            Assert.True(low > 0 && high > 2 * low, $"priorities: High got {high} bytes, Normal {normal}, Low {low} (High first, Low keeps its floor)");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(spenders.Select(async s =>
            {
                try
                {
                    await s;
                }
                catch (OperationCanceledException)
                {
                }
            }));
            first.Kill();
            second.Kill();
        }
    }

    public void Dispose() => _data.Dispose();

    /// <summary>
    /// What clients may have spent in a window of <paramref name="measured"/> seconds: the link's rate for it, one
    /// burst, and what each tenant held when the window began (its need and a slice ahead).
    /// </summary>
    private static void AssertAtMostTheRate((long Bytes, double Seconds) measured, string when)
    {
        const double held = 6 * (Chunk + (Rate * 0.05));
        var allowed = (Rate * measured.Seconds) + (64 * 1024) + held;
        TestContext.Current.TestOutputHelper?.WriteLine($"{when}: {measured.Bytes} bytes in {measured.Seconds:F2} s = {measured.Bytes / measured.Seconds / Rate:F2} of the link's rate");
        Assert.True(measured.Bytes <= allowed, $"{when}: clients spent {measured.Bytes} bytes in {measured.Seconds:F2} s, more than the link's {Rate} B/s allows ({allowed:F0})");
    }

    private static LeasedBandwidthBudget Client(params FleetProcess[] order) => new(
        new TestHttpClient { Timeout = TimeSpan.FromSeconds(10) },
        [.. order.Select(p => p.Url)],
        new ThrottleOptions
        {
            Links = [new LinkOptions { From = Link.From, To = Link.To, BytesPerSecond = Rate }],
            LeaseSlice = TimeSpan.FromMilliseconds(50),
            LeaseTtl = TimeSpan.FromSeconds(1),
            FallbackShare = 0.02,
            RetryInterval = TimeSpan.FromMilliseconds(200),
        },
        TimeProvider.System);

    private async Task<HttpStatusCode> LeaseStatusAsync(FleetProcess process)
    {
        try
        {
            using var response = await process.Http.PostAsJsonAsync(
                new Uri("/api/v1/throttle/leases", UriKind.Relative), new { link = "dcA->dcB", priority = "High", tenant = "probe", bytes = 1000 }, _ct);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    private async Task<ThrottleRole> RoleAsync(FleetProcess process) =>
        (await process.Http.GetFromJsonAsync<ThrottleState>(new Uri("/api/v1/throttle/state", UriKind.Relative), _ct))!.Role;

    private long Spent() => SpentByPriority().Sum();

    private long[] SpentByPriority() => [.. Enumerable.Range(0, _spentByPriority.Length).Select(i => Interlocked.Read(ref _spentByPriority[i]))];

    /// <summary>Counts what the clients spend until <paramref name="bytes"/> (default <see cref="Window"/>) went through: (bytes, seconds).</summary>
    private async Task<(long Bytes, double Seconds)> MeasureAsync(string when, long bytes = Window)
    {
        var from = Spent();
        var clock = Stopwatch.StartNew();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Spent() - from >= bytes), Deadline, _ct), $"{when}: the clients spent {Spent() - from} bytes in {Deadline}");
        return (Spent() - from, clock.Elapsed.TotalSeconds);
    }

    private async Task SpendAsync(LeasedBandwidthBudget client, TrafficPriority priority, string tenant, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var started = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested && started.Elapsed < TimeSpan.FromMinutes(5))
        {
            await client.AcquireAsync(Link, priority, tenant, Chunk, cancellationToken);
            Interlocked.Add(ref _spentByPriority[(int)priority], Chunk);
        }
    }
}
