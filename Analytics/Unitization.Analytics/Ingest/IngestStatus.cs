namespace Unitization.Analytics.Ingest;

/// <summary>Running counters of the traffic ingest, shown by <c>GET /api/v1/traffic/ingest</c> and the dashboard.</summary>
internal sealed class IngestStatus
{
    private long _received;
    private long _consumed;
    private long _stored;
    private long _duplicates;
    private long _deadLettered;
    private long _spooled;

    /// <summary>Record lines read from Kafka, parsed or not yet.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Records parsed (stored, duplicate or dead-lettered from here on).</summary>
    public long Consumed => Interlocked.Read(ref _consumed);

    public long Stored => Interlocked.Read(ref _stored);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    /// <summary>Records that went to the disk spool because ClickHouse could not take them.</summary>
    public long Spooled => Interlocked.Read(ref _spooled);

    public int PendingSpoolFiles { get; set; }

    public string? LastError { get; set; }

    /// <summary>Why the consumer cannot reach Kafka (librdkafka's error and statistics callbacks), null while it can.</summary>
    public string? KafkaError { get; private set; }

    public DateTimeOffset? KafkaErrorSince { get; private set; }

    /// <summary>When the consumer last reached a broker (a record consumed, or statistics with a broker up).</summary>
    public DateTimeOffset? KafkaLastSuccess { get; private set; }

    /// <summary>Why the ingest loop last failed as a whole (it is restarted after a pause), null while it runs.</summary>
    public string? LoopError { get; set; }

    public void KafkaFailing(string error, DateTimeOffset now)
    {
        KafkaErrorSince ??= now;
        KafkaError = error;
    }

    public void KafkaWorking(DateTimeOffset now)
    {
        KafkaError = null;
        KafkaErrorSince = null;
        KafkaLastSuccess = now;
    }

    public DateTimeOffset? LastStoredAt { get; set; }

    public void AddReceived(long n) => Interlocked.Add(ref _received, n);

    public void AddConsumed(long n) => Interlocked.Add(ref _consumed, n);

    public void AddStored(long n) => Interlocked.Add(ref _stored, n);

    public void AddDuplicates(long n) => Interlocked.Add(ref _duplicates, n);

    public void AddDeadLettered(long n) => Interlocked.Add(ref _deadLettered, n);

    public void AddSpooled(long n) => Interlocked.Add(ref _spooled, n);
}
