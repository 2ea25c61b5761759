namespace Unitization.Replication.Pump;

/// <summary>What the replicator's health check reports: HMS reachability, Kafka, the last gap, the dead letters.</summary>
public sealed class ReplicationHealth
{
    private readonly Lock _gate = new();

    public string? MetastoreError { get; private set; }

    public DateTimeOffset? MetastoreErrorSince { get; private set; }

    public string? KafkaError { get; private set; }

    public long? LastGapFrom { get; private set; }

    public long? LastGapTo { get; private set; }

    public long DeadLetters { get; private set; }

    public long Applied { get; private set; }

    public long LastPublishedEventId { get; private set; }

    public void MetastoreUnreachable(string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            MetastoreErrorSince ??= now;
            MetastoreError = error;
        }
    }

    public void MetastoreReachable()
    {
        lock (_gate)
        {
            MetastoreError = null;
            MetastoreErrorSince = null;
        }
    }

    public void KafkaFailing(string? error)
    {
        lock (_gate)
        {
            KafkaError = error;
        }
    }

    public void Gap(long expected, long actual)
    {
        lock (_gate)
        {
            LastGapFrom = expected;
            LastGapTo = actual - 1;
        }
    }

    public void Published(long eventId)
    {
        lock (_gate)
        {
            LastPublishedEventId = eventId;
        }
    }

    public void DeadLettered()
    {
        lock (_gate)
        {
            DeadLetters++;
        }
    }

    public void AppliedOne()
    {
        lock (_gate)
        {
            Applied++;
        }
    }
}
