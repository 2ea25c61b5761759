using Unitization.Throttle.Budget;

namespace Unitization.Throttle.Leases;

/// <summary>
/// The budget of a process with the <c>throttle</c> role: its own link schedulers while it leads the fleet's budgets,
/// else leases like any other process (<paramref name="standby"/>: the other instances of <c>Throttle:ServiceUrl</c>,
/// or the local fallback share when none is configured), so a standby's own traffic never adds a second budget.
/// </summary>
internal sealed class ThrottleRoleBudget(LocalBandwidthBudget local, ThrottleLeadership leadership, IBandwidthBudget standby, TimeSpan maxWait) : IBandwidthBudget, IDisposable
{
    public ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken) =>
        leadership.State switch
        {
            LeadershipState.Leader => local.AcquireAsync(link, priority, tenant, bytes, cancellationToken),
            LeadershipState.Standby => standby.AcquireAsync(link, priority, tenant, bytes, cancellationToken),
            _ => AcquireWhenSettledAsync(link, priority, tenant, bytes, cancellationToken),
        };

    public void Dispose() => (standby as IDisposable)?.Dispose();

    private async ValueTask AcquireWhenSettledAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        var budget = await leadership.WaitLeadingAsync(maxWait, cancellationToken).ConfigureAwait(false) ? local : standby;
        await budget.AcquireAsync(link, priority, tenant, bytes, cancellationToken).ConfigureAwait(false);
    }
}
