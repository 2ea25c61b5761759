namespace Unitization.Throttle.Budget;

/// <summary>
/// The budget of the links between datacenters. <see cref="AcquireAsync"/> returns when <paramref name="bytes"/> may
/// cross <paramref name="link"/> for <paramref name="tenant"/> (a job or a replication rule) at <paramref name="priority"/>.
/// </summary>
public interface IBandwidthBudget
{
    ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken);
}
