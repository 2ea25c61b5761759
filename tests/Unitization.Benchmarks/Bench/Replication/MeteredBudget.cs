using System.Diagnostics;
using Unitization.Throttle.Budget;

namespace Unitization.Benchmarks.Bench.Replication;

/// <summary>
/// A budget that passes every acquisition on and notes when each was granted: the copy writes a chunk right after its
/// grant, so the grants' times are the copy stream's progress, and their rate is the rate the throttle held it to.
/// </summary>
internal sealed class MeteredBudget(IBandwidthBudget inner) : IBandwidthBudget
{
    private readonly Lock _gate = new();
    private long _firstAt;
    private long _firstBytes;
    private long _lastAt;
    private long _bytes;

    public async ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        await inner.AcquireAsync(link, priority, tenant, bytes, cancellationToken).ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_bytes == 0)
            {
                _firstAt = now;
                _firstBytes = bytes;
            }

            _lastAt = now;
            _bytes += bytes;
        }
    }

    /// <summary>Bytes per second granted after the first grant (which the bucket's initial burst pays); null below two grants.</summary>
    public double? Rate()
    {
        lock (_gate)
        {
            var seconds = Stopwatch.GetElapsedTime(_firstAt, _lastAt).TotalSeconds;
            return seconds > 0 ? (_bytes - _firstBytes) / seconds : null;
        }
    }
}
