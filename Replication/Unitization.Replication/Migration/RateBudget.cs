using System.Threading.RateLimiting;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Migration;

/// <summary>A migration's own <c>--rate</c>: a token bucket of one second's bytes, refilled continuously.</summary>
internal sealed class RateBudget : IBandwidthBudget, IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;
    private readonly int _capacity;

    public RateBudget(long bytesPerSecond)
    {
        _capacity = (int)Math.Clamp(bytesPerSecond / 10, 1, int.MaxValue);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _capacity,
            TokensPerPeriod = (int)Math.Clamp(bytesPerSecond / 100, 1, int.MaxValue),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(10),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public async ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        while (bytes > 0)
        {
            var take = (int)Math.Min(bytes, _capacity);
            using var lease = await _limiter.AcquireAsync(take, cancellationToken).ConfigureAwait(false);
            bytes -= take;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
