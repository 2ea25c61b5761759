using Microsoft.Extensions.Time.Testing;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Caps;
using Unitization.Throttle.Scheduling;

namespace Unitization.Throttle.Tests.Scheduling;

public sealed class LinkSchedulerTests : IDisposable
{
    private static readonly Dictionary<TrafficPriority, double> NoFloors = new() { [TrafficPriority.High] = 0, [TrafficPriority.Normal] = 0, [TrafficPriority.Low] = 0 };
    private readonly FakeTimeProvider _time = new();
    private readonly TenantCapRegistry _caps = new();
    private readonly LinkScheduler _link;

    public LinkSchedulerTests()
    {
        _link = new LinkScheduler(new LinkId("dcA", "dcB"), bytesPerSecond: 1000, burstBytes: 1000, NoFloors, _time, _caps, _ => 1);
    }

    [Fact]
    public async Task AcquireAsync_BucketEmpty_CompletesWhenTheTokensHaveAccrued()
    {
        await _link.AcquireAsync(TrafficPriority.Normal, "t", 1000, TestContext.Current.CancellationToken); // the burst

        var waiting = _link.AcquireAsync(TrafficPriority.Normal, "t", 500, TestContext.Current.CancellationToken).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting;
    }

    [Fact]
    public async Task AcquireAsync_HigherClassWaiting_IsServedFirst()
    {
        await _link.AcquireAsync(TrafficPriority.Normal, "t", 1000, TestContext.Current.CancellationToken);
        var low = _link.AcquireAsync(TrafficPriority.Low, "batch", 500, TestContext.Current.CancellationToken).AsTask();
        var high = _link.AcquireAsync(TrafficPriority.High, "online", 500, TestContext.Current.CancellationToken).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(high.IsCompleted);
        Assert.False(low.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await low;
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_ThrowsAndDoesNotBlockTheNext()
    {
        await _link.AcquireAsync(TrafficPriority.Normal, "t", 1000, TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var first = _link.AcquireAsync(TrafficPriority.Normal, "a", 800, cancel.Token).AsTask();
        var second = _link.AcquireAsync(TrafficPriority.Normal, "b", 200, TestContext.Current.CancellationToken).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await second;
        Assert.Equal(0, _link.Snapshot().WaitingRequests);
    }

    [Fact]
    public async Task AcquireAsync_CappedTenant_HeldToItsCapWhileOthersAreNot()
    {
        _caps.Set(new TenantCap("hog", 100, "sre", _time.GetUtcNow(), null));
        var capped = _link.AcquireAsync(TrafficPriority.Normal, "hog", 100, TestContext.Current.CancellationToken).AsTask();
        var other = _link.AcquireAsync(TrafficPriority.Normal, "other", 500, TestContext.Current.CancellationToken).AsTask();

        Assert.False(capped.IsCompleted); // the cap bucket starts empty
        await other;
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(capped.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await capped;
    }

    [Fact]
    public async Task AcquireAsync_CapRemovedWhileWaiting_GrantsAtOnce()
    {
        var budget = new LocalBandwidthBudget(
            new Unitization.Throttle.Configuration.ThrottleOptions { Links = [new() { From = "dcA", To = "dcB", BytesPerSecond = 1000 }] }, _time, _caps);
        _caps.Set(new TenantCap("hog", 1, "sre", _time.GetUtcNow(), null));
        var capped = budget.AcquireAsync(new LinkId("dcA", "dcB"), TrafficPriority.Normal, "hog", 500, TestContext.Current.CancellationToken).AsTask();
        Assert.False(capped.IsCompleted);

        _caps.Remove("hog");
        await capped;
        budget.Dispose();
    }

    [Fact]
    public async Task SetRate_WhileWaiting_AppliesLive()
    {
        await _link.AcquireAsync(TrafficPriority.Normal, "t", 1000, TestContext.Current.CancellationToken);
        var waiting = _link.AcquireAsync(TrafficPriority.Normal, "t", 1000, TestContext.Current.CancellationToken).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(100)); // 100 earned at 1000 B/s

        _link.SetRate(10_000, burstBytes: 10_000);
        _time.Advance(TimeSpan.FromMilliseconds(89));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1)); // 100 + 900 at 10,000 B/s
        await waiting;
    }

    [Fact]
    public async Task Snapshot_Waiting_ShowsByClassAndTenant()
    {
        await _link.AcquireAsync(TrafficPriority.Normal, "t", 1000, TestContext.Current.CancellationToken);
        _ = _link.AcquireAsync(TrafficPriority.Low, "batch", 300, TestContext.Current.CancellationToken);
        _ = _link.AcquireAsync(TrafficPriority.High, "online", 200, TestContext.Current.CancellationToken);

        var state = _link.Snapshot();

        Assert.Equal("dcA->dcB", state.Link);
        Assert.Equal(1000, state.BytesPerSecond);
        Assert.Equal(1000, state.GrantedBytes);
        Assert.Equal(2, state.WaitingRequests);
        Assert.Equal(300, state.Classes.Single(c => c.Priority == TrafficPriority.Low).WaitingBytes);
        Assert.Equal(200, state.Tenants.Single(t => t.Tenant == "online").WaitingBytes);
        Assert.Equal(1000, state.Tenants.Single(t => t.Tenant == "t").GrantedBytes);
    }

    [Fact]
    public async Task AcquireAsync_ManyJitteredLooks_DeliversTheRateOverTime()
    {
        // envoyproxy/envoy#24282 and dotnet/runtime#74056 through the whole scheduler: 5x the rate is asked for
        // from a clock that moves in irregular steps; the link still delivers its full rate.
        var random = new Random(74056);
        long granted = 0;
        var elapsed = TimeSpan.Zero;
        var pending = new List<Task>();
        while (elapsed < TimeSpan.FromSeconds(30))
        {
            pending.Add(_link.AcquireAsync(TrafficPriority.Normal, "t", 5, TestContext.Current.CancellationToken).AsTask());
            var step = TimeSpan.FromTicks(random.Next(5_000, 15_000)); // 0.5-1.5 ms
            _time.Advance(step);
            elapsed += step;
            granted += pending.RemoveAll(t => t.IsCompleted) * 5;
        }

        // 1000 B/s for 30 s plus the initial burst of 1000, less what the timer has not yet woken for
        Assert.InRange(granted, 30_000, 31_000);
    }

    public void Dispose() => _link.Dispose();
}
