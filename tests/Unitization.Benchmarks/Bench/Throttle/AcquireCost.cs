using System.Threading.RateLimiting;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;

namespace Unitization.Benchmarks.Bench.Throttle;

/// <summary>
/// Cost of one uncontended acquire: this budget's <see cref="IBandwidthBudget.AcquireAsync"/> (link, class, tenant)
/// against <see cref="TokenBucketRateLimiter.AttemptAcquire(int)"/>, both with tokens to spare, measured in one run.
/// </summary>
internal static class AcquireCost
{
    public static readonly LinkId Link = new("dcA", "dcB");

    public static TokenBucketRateLimiter NewRateLimiter() => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = int.MaxValue,
        TokensPerPeriod = int.MaxValue,
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(1),
        AutoReplenishment = true,
        QueueLimit = 0,
    });

    public static LocalBandwidthBudget NewBudget(TimeProvider time) => new(
        new ThrottleOptions { Links = [new LinkOptions { From = Link.From, To = Link.To, BytesPerSecond = 1e15, BurstBytes = 1e15 }] },
        time);

    /// <summary>Nanoseconds per acquire of each, measured over <paramref name="iterations"/> after a warm-up.</summary>
    public static async Task<(double RateLimiterNs, double BudgetNs)> MeasureAsync(int iterations, CancellationToken cancellationToken)
    {
        using var limiter = NewRateLimiter();
        using var budget = NewBudget(TimeProvider.System);
        double limiterNs = double.MaxValue, budgetNs = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            limiterNs = Math.Min(limiterNs, Time(iterations, () => limiter.AttemptAcquire(1).Dispose()));
            budgetNs = Math.Min(budgetNs, await TimeAsync(iterations, budget, cancellationToken).ConfigureAwait(false));
        }

        return (limiterNs, budgetNs);
    }

    private static double Time(int iterations, Action action)
    {
        var start = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        return TimeProvider.System.GetElapsedTime(start).TotalNanoseconds / iterations;
    }

    private static async Task<double> TimeAsync(int iterations, LocalBandwidthBudget budget, CancellationToken cancellationToken)
    {
        var start = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            await budget.AcquireAsync(Link, TrafficPriority.Normal, "job", 1, cancellationToken).ConfigureAwait(false);
        }

        return TimeProvider.System.GetElapsedTime(start).TotalNanoseconds / iterations;
    }
}
