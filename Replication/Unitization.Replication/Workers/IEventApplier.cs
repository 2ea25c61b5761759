using Unitization.Replication.Events;

namespace Unitization.Replication.Workers;

/// <summary>Applies one HMS event to every target of its table's rule; returns the number of actions done.</summary>
internal interface IEventApplier
{
    Task<int> ApplyAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken);
}
