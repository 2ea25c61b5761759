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

    /// <summary>The last HMS call that failed, while calls keep failing (null after one succeeds).</summary>
    public string? MetastoreCallError { get; private set; }

    /// <summary>Consecutive failed HMS calls (lookups and the pump's reads alike).</summary>
    public int MetastoreCallFailures { get; private set; }

    public DateTimeOffset? MetastoreCallFailingSince { get; private set; }

    /// <summary>ACID writes on ruled tables refused by <c>Replication:AcidTables</c> = Refuse, and the last reason.</summary>
    public long AcidRefused { get; private set; }

    public string? LastAcidRefusal { get; private set; }

    /// <summary>ACID writes the pump holds until their transaction commits or aborts.</summary>
    public long AcidPendingWrites { get; private set; }

    public void MetastoreCallFailed(string call, string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            MetastoreCallFailures++;
            MetastoreCallFailingSince ??= now;
            MetastoreCallError = $"{call}: {error}";
        }
    }

    public void MetastoreCallSucceeded()
    {
        lock (_gate)
        {
            MetastoreCallFailures = 0;
            MetastoreCallFailingSince = null;
            MetastoreCallError = null;
        }
    }

    public void AcidWriteRefused(string reason)
    {
        lock (_gate)
        {
            AcidRefused++;
            LastAcidRefusal = reason;
        }
    }

    public void AcidPending(long writes)
    {
        lock (_gate)
        {
            AcidPendingWrites = writes;
        }
    }
}
