using System.Collections.Concurrent;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.State;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Leases;

/// <summary>
/// The token service of the <c>throttle</c> role: a lease is a slice of a link's budget acquired from the process's
/// <see cref="LocalBandwidthBudget"/> on the tenant's behalf, so every process that crosses the link competes in one
/// scheduler (priorities, floors, weights and caps hold across processes).
/// </summary>
internal sealed class LeaseService(LocalBandwidthBudget budget, ThrottleOptions options, TimeProvider time, ThrottleMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, (long Bytes, long ExpiresAt)> _active = new(StringComparer.Ordinal);
    private long _grantedTotal;
    private long _requests;
    private long _timedOut;
    private long _sequence;

    /// <summary>The largest lease for a link: <see cref="ThrottleOptions.LeaseSlice"/> of its rate.</summary>
    public long MaxLeaseBytes(LinkId link)
    {
        var scheduler = budget.Find(link);
        return scheduler is null ? 0 : (long)Math.Max(1, scheduler.BytesPerSecond * options.LeaseSlice.TotalSeconds);
    }

    /// <summary>
    /// Waits (at most <see cref="ThrottleOptions.MaxLeaseWait"/>) for the budget and grants it; throws
    /// <see cref="KeyNotFoundException"/> for a link with no budget and <see cref="LeaseRequestException"/> for bad input.
    /// </summary>
    public async Task<LeaseGrant> GrantAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LinkId link;
        try
        {
            link = LinkId.Parse(request.Link ?? string.Empty);
        }
        catch (FormatException ex)
        {
            throw new LeaseRequestException($"link: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(request.Tenant))
        {
            throw new LeaseRequestException("tenant: required (the job or replication rule the bytes are for).");
        }

        if (request.Bytes <= 0)
        {
            throw new LeaseRequestException($"bytes: must be positive, got {request.Bytes}.");
        }

        if (!Enum.IsDefined(request.Priority))
        {
            throw new LeaseRequestException($"priority: '{request.Priority}' is not one of {string.Join(", ", Enum.GetNames<TrafficPriority>())}.");
        }

        var max = MaxLeaseBytes(link);
        if (max == 0)
        {
            throw new KeyNotFoundException($"Link {link} has no budget on this throttle service; add it to Throttle:Links.");
        }

        Interlocked.Increment(ref _requests);
        Prune();
        var bytes = Math.Min(request.Bytes, max);
        using var wait = new CancellationTokenSource(options.MaxLeaseWait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(wait.Token, cancellationToken);
        var id = $"{link}/{request.Tenant}/{Interlocked.Increment(ref _sequence)}";
        try
        {
            await budget.AcquireAsync(link, request.Priority, request.Tenant, bytes, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _timedOut);
            return new LeaseGrant(id, link.ToString(), 0, 0, (long)options.LeaseSlice.TotalMilliseconds);
        }

        var ttl = options.LeaseTtl;
        _active[id] = (bytes, time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency));
        Interlocked.Add(ref _grantedTotal, bytes);
        metrics?.LeaseGranted(link);
        return new LeaseGrant(id, link.ToString(), bytes, (long)ttl.TotalMilliseconds, 0);
    }

    public LeaseSummary Summary()
    {
        Prune();
        var active = _active.Values.ToArray();
        return new LeaseSummary(active.Length, active.Sum(a => a.Bytes), Interlocked.Read(ref _grantedTotal), Interlocked.Read(ref _requests), Interlocked.Read(ref _timedOut));
    }

    private void Prune()
    {
        var now = time.GetTimestamp();
        foreach (var (id, lease) in _active)
        {
            if (lease.ExpiresAt <= now)
            {
                _active.TryRemove(id, out _);
            }
        }
    }
}
