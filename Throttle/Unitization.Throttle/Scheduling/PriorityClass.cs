using Unitization.Throttle.Buckets;
using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Scheduling;

/// <summary>
/// One priority class of a link: its guaranteed floor (a token bucket at floor × link rate; a class holding floor
/// tokens is served before any class that is only borrowing) and the tenants' flows that share it by weight.
/// </summary>
internal sealed class PriorityClass(TrafficPriority priority, double floor, TokenBucket floorBucket)
{
    public TrafficPriority Priority { get; } = priority;

    /// <summary>Fraction of the link rate this class always gets when it wants it.</summary>
    public double Floor { get; set; } = floor;

    public TokenBucket FloorBucket { get; } = floorBucket;

    public Dictionary<string, TenantFlow> Flows { get; } = new(StringComparer.Ordinal);

    /// <summary>Flows that have at least one waiter.</summary>
    public List<TenantFlow> Backlogged { get; } = [];

    /// <summary>SFQ virtual time: the start tag of the last request served.</summary>
    public double VirtualTime { get; set; }

    public long GrantedBytes { get; set; }

    public long WaitingBytes { get; set; }

    public int WaitingRequests { get; set; }
}
