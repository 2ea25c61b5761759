using Unitization.Throttle.Buckets;
using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Client;

/// <summary>
/// A cap inside a link's shared budget (a migration's <c>--rate</c>): every request is paid first from this cap's own
/// bucket, then from the link's budget at the caller's priority. The caller never goes faster than the cap and never
/// beside the link's budget: with the cap above the link's rate the link decides, and the link's granted bytes move by
/// every byte either way. With no link budget (a link not in <c>Throttle:Links</c>) the cap alone holds.
/// </summary>
public sealed class CappedBandwidthBudget : IBandwidthBudget
{
    /// <summary>The cap's burst: this much of a second at its rate, at least <see cref="MinBurst"/> bytes.</summary>
    private const double BurstSeconds = 0.05;

    private const double MinBurst = 64 * 1024;

    private readonly IBandwidthBudget? _link;
    private readonly TimeProvider _time;
    private readonly TokenBucket _cap;
    private readonly Lock _lock = new();

    public CappedBandwidthBudget(IBandwidthBudget? link, double capBytesPerSecond, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (!double.IsFinite(capBytesPerSecond) || capBytesPerSecond < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capBytesPerSecond), capBytesPerSecond, "A cap must be at least 1 byte/s.");
        }

        _link = link;
        _time = time;
        _cap = new TokenBucket(time, capBytesPerSecond, Math.Max(MinBurst, capBytesPerSecond * BurstSeconds));
    }

    public double CapBytesPerSecond => _cap.BytesPerSecond;

    public async ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        if (bytes > 0)
        {
            await TakeFromCapAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        if (_link is not null)
        {
            await _link.AcquireAsync(link, priority, tenant, bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the cap's bucket holds the bytes (a request above the burst: a full bucket, then debt) and takes them.</summary>
    private async Task TakeFromCapAsync(long bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                wait = _cap.TimeUntil(bytes);
                if (wait == TimeSpan.Zero)
                {
                    _cap.Take(bytes);
                    return;
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
