using System.Collections.Concurrent;
using Unitization.Throttle.Budget;

namespace Unitization.Replication.Tests.Fakes;

/// <summary>Grants every request at once and remembers what was asked for.</summary>
internal sealed class RecordingBudget : IBandwidthBudget
{
    public ConcurrentQueue<(LinkId Link, TrafficPriority Priority, string Tenant, long Bytes)> Requests { get; } = new();

    public ValueTask AcquireAsync(LinkId link, TrafficPriority priority, string tenant, long bytes, CancellationToken cancellationToken)
    {
        Requests.Enqueue((link, priority, tenant, bytes));
        return ValueTask.CompletedTask;
    }
}
