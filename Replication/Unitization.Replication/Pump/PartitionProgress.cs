namespace Unitization.Replication.Pump;

/// <summary>
/// The event a worker is applying in one partition of the events topic: the oldest unapplied event of that partition.
/// <paramref name="PublishedAt"/> is when the pump published it (its Kafka timestamp), <paramref name="StartedAt"/>
/// when the worker took it; <paramref name="Attempts"/> counts its transient failures so far.
/// </summary>
public sealed record PartitionProgress(
    int Partition, long Offset, string? Key, DateTimeOffset PublishedAt, DateTimeOffset StartedAt, int Attempts, string? LastError)
{
    /// <summary>How long the event has waited since it was published.</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => now - PublishedAt;

    /// <summary>Stalled: it failed and is being retried, or it has been worked on longer than <paramref name="stalledAfter"/>.</summary>
    public bool IsStalled(DateTimeOffset now, TimeSpan stalledAfter) => Attempts > 0 || now - StartedAt >= stalledAfter;
}
