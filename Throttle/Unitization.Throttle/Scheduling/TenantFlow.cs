using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Scheduling;

/// <summary>
/// The queue of one tenant (a job or a replication rule) within one priority class of a link, with its start-time
/// fair queueing tag: each grant of L bytes advances the flow's finish tag by L / weight.
/// </summary>
internal sealed class TenantFlow(string tenant, TrafficPriority priority, double weight)
{
    public string Tenant { get; } = tenant;

    public TrafficPriority Priority { get; } = priority;

    public double Weight { get; set; } = weight;

    public LinkedList<Waiter> Queue { get; } = new();

    /// <summary>Virtual finish time of the last grant (SFQ).</summary>
    public double FinishTag { get; set; }

    public long GrantedBytes { get; set; }

    public long WaitingBytes { get; set; }

    /// <summary>The start tag its head request would get now: after its last finish, never before the class's virtual time.</summary>
    public double StartTag(double virtualTime) => Math.Max(virtualTime, FinishTag);
}
