using System.Collections.Concurrent;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Configuration;
using Unitization.Throttle.State;
using Unitization.Throttle.Telemetry;

namespace Unitization.Throttle.Leases;

/// <summary>
/// The token service of the <c>throttle</c> role: a lease is a slice of a link's budget acquired from the process's
/// <see cref="LocalBandwidthBudget"/> on the tenant's behalf, so every process that crosses the link competes in one
/// scheduler (priorities, floors, weights and caps hold across processes). In a fleet only the leader
/// (<see cref="ThrottleLeadership"/>) grants; a standby throws <see cref="NotLeaderException"/>.
/// </summary>
internal sealed class LeaseService(LocalBandwidthBudget budget, ThrottleOptions options, TimeProvider time, ThrottleMetrics? metrics = null, ThrottleLeadership? leadership = null)
{
    private readonly ConcurrentDictionary<string, (long Bytes, long ExpiresAt)> _active = new(StringComparer.Ordinal);
    private long _grantedTotal;
    private long _requests;
    private long _timedOut;
    private long _sequence;

    /// <summary>This instance's part in its fleet (always the leader without a state store's election).</summary>
    public LeadershipState Leadership => leadership?.State ?? LeadershipState.Leader;

    /// <summary>
    /// The largest lease for a link: <see cref="ThrottleOptions.LeaseSlice"/> of its rate, and at least its burst (by
    /// default at least one stream chunk, 64 KiB), so a chunk the link admits at once never costs several round trips.
    /// </summary>
    public long MaxLeaseBytes(LinkId link)
    {
        var scheduler = budget.Find(link);
        return scheduler is null ? 0 : (long)Math.Max(1, Math.Max(scheduler.Burst, scheduler.BytesPerSecond * options.LeaseSlice.TotalSeconds));
    }

    /// <summary>
    /// Waits (at most <see cref="ThrottleOptions.MaxLeaseWait"/>) for the budget and grants it; throws
    /// <see cref="KeyNotFoundException"/> for a link with no budget, <see cref="LeaseRequestException"/> for bad input
    /// and <see cref="NotLeaderException"/> on a standby. The lease's time to live counts from the request's arrival:
    /// the time it waited for budget plus <see cref="ThrottleOptions.LeaseTtl"/>, so a lease that waited is not dead on arrival.
    /// </summary>
    public async Task<LeaseGrant> GrantAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arrived = time.GetTimestamp();
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

        if (leadership is not null && !await leadership.WaitLeadingAsync(options.MaxLeaseWait, cancellationToken).ConfigureAwait(false))
        {
            throw new NotLeaderException(StandbyMessage);
        }

        Interlocked.Increment(ref _requests);
        Prune();
        var bytes = Math.Min(request.Bytes, max);
        var waitLeft = options.MaxLeaseWait - time.GetElapsedTime(arrived);
        using var wait = new CancellationTokenSource(waitLeft > TimeSpan.Zero ? waitLeft : TimeSpan.FromTicks(1), time);
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

        if (leadership is not null && leadership.State != LeadershipState.Leader)
        {
            // leadership went while the request waited: its successor grants from now on
            throw new NotLeaderException(StandbyMessage);
        }

        var ttl = time.GetElapsedTime(arrived) + options.LeaseTtl;
        _active[id] = (bytes, time.GetTimestamp() + (long)(options.LeaseTtl.TotalSeconds * time.TimestampFrequency));
        Interlocked.Add(ref _grantedTotal, bytes);
        metrics?.LeaseGranted(link);
        return new LeaseGrant(id, link.ToString(), bytes, (long)Math.Floor(ttl.TotalMilliseconds), 0);
    }

    /// <summary>This instance's part in its fleet, for the state endpoint.</summary>
    public ThrottleRole Role() => new(Leadership switch
    {
        LeadershipState.Leader => "leader",
        LeadershipState.Standby => "standby",
        _ => "electing",
    }, leadership?.Epoch);

    public LeaseSummary Summary()
    {
        Prune();
        var active = _active.Values.ToArray();
        return new LeaseSummary(active.Length, active.Sum(a => a.Bytes), Interlocked.Read(ref _grantedTotal), Interlocked.Read(ref _requests), Interlocked.Read(ref _timedOut));
    }

    private const string StandbyMessage =
        "This throttle instance is a standby: another instance of the fleet holds the link budgets (leader_leases 'throttle:links'). Lease from the next URL of Throttle:ServiceUrl.";

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
