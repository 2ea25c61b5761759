using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using Unitization.Benchmarks.Bench.Throttle;
using Unitization.Throttle.Budget;

namespace Unitization.Benchmarks.Throttle;

/// <summary>Cost of one uncontended acquire: the link budget (link, class, tenant) against .NET's token bucket.</summary>
[MemoryDiagnoser]
public class AcquireCostBenchmarks
{
    private TokenBucketRateLimiter _limiter = null!;
    private LocalBandwidthBudget _budget = null!;

    [GlobalSetup]
    public void Setup()
    {
        _limiter = AcquireCost.NewRateLimiter();
        _budget = AcquireCost.NewBudget(TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _limiter.Dispose();
        _budget.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool TokenBucketRateLimiter_AttemptAcquire()
    {
        using var lease = _limiter.AttemptAcquire(1);
        return lease.IsAcquired;
    }

    [Benchmark]
    public ValueTask LinkBudget_AcquireAsync() =>
        _budget.AcquireAsync(AcquireCost.Link, TrafficPriority.Normal, "job", 1, CancellationToken.None);
}
