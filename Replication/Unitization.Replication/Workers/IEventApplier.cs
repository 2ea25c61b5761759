using Unitization.Replication.Events;

namespace Unitization.Replication.Workers;

/// <summary>Applies one HMS event to every target of its table's rule; returns the number of actions done.</summary>
internal interface IEventApplier
{
    Task<int> ApplyAsync(HmsEventEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>As <see cref="ApplyAsync(HmsEventEnvelope, CancellationToken)"/>, measuring the replication lag from <paramref name="publishedAt"/>.</summary>
    Task<int> ApplyAsync(HmsEventEnvelope envelope, DateTimeOffset? publishedAt, CancellationToken cancellationToken) => ApplyAsync(envelope, cancellationToken);
}
