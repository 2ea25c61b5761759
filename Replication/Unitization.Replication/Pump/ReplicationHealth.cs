namespace Unitization.Replication.Pump;

/// <summary>
/// What the replicator's health check and status report: HMS reachability, each Kafka client's errors and last
/// success, the event each partition is working on (the oldest unapplied one: its age, its retries and their last
/// error), the loops whose supervisor restarted them, the last gap and the dead letters.
/// </summary>
public sealed class ReplicationHealth
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Error, DateTimeOffset Since)> _kafkaErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<int, PartitionProgress> _partitions = [];
    private readonly Dictionary<string, (string Error, DateTimeOffset Since)> _loops = new(StringComparer.Ordinal);

    public string? MetastoreError { get; private set; }

    public DateTimeOffset? MetastoreErrorSince { get; private set; }

    /// <summary>Every failing Kafka client's error (<c>client: error</c>, joined), or null while all work.</summary>
    public string? KafkaError
    {
        get
        {
            lock (_gate)
            {
                return _kafkaErrors.Count == 0 ? null : string.Join("; ", _kafkaErrors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value.Error}"));
            }
        }
    }

    public DateTimeOffset? KafkaErrorSince
    {
        get
        {
            lock (_gate)
            {
                return _kafkaErrors.Count == 0 ? null : _kafkaErrors.Values.Min(e => e.Since);
            }
        }
    }

    /// <summary>When a Kafka client last did its work (a delivery acknowledged, a poll that reached the brokers).</summary>
    public DateTimeOffset? KafkaLastSuccess { get; private set; }

    public long? LastGapFrom { get; private set; }

    public long? LastGapTo { get; private set; }

    public long DeadLetters { get; private set; }

    public long Applied { get; private set; }

    public long LastPublishedEventId { get; private set; }

    /// <summary>This process's part in pumping: <c>leader (epoch N)</c>, <c>standby</c>, or null when it does not pump.</summary>
    public string? PumpLeadership { get; private set; }

    public void PumpLeading(long epoch) => PumpLeadership = $"leader (epoch {epoch})";

    public void PumpStandby() => PumpLeadership = "standby";

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

    /// <summary>A Kafka client (<c>pump</c>, <c>worker</c>, <c>dead-letters</c>) reports an error; it stays until that client works again.</summary>
    public void KafkaFailing(string client, string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            _kafkaErrors[client] = (error, _kafkaErrors.TryGetValue(client, out var known) ? known.Since : now);
        }
    }

    public void KafkaWorking(string client, DateTimeOffset now)
    {
        lock (_gate)
        {
            _kafkaErrors.Remove(client);
            KafkaLastSuccess = now;
        }
    }

    /// <summary>A supervised loop failed outside any one event and is restarted after a pause; it stays reported until <see cref="LoopRunning"/>.</summary>
    public void LoopFailed(string loop, string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            _loops[loop] = (error, _loops.TryGetValue(loop, out var known) ? known.Since : now);
        }
    }

    /// <summary>Why this process is a standby (another process holds a namespace's writer lock); null while it is the writer.</summary>
    public string? Standby { get; private set; }

    public void StandbyFor(string? reason)
    {
        lock (_gate)
        {
            Standby = reason;
        }
    }

    public void LoopRunning(string loop)
    {
        lock (_gate)
        {
            _loops.Remove(loop);
        }
    }

    public IReadOnlyDictionary<string, string> FailedLoops
    {
        get
        {
            lock (_gate)
            {
                return _loops.ToDictionary(l => l.Key, l => $"{l.Value.Error} (since {l.Value.Since:O})", StringComparer.Ordinal);
            }
        }
    }

    /// <summary>A worker took the next event of a partition: from now until it settles, it is that partition's oldest unapplied event.</summary>
    public void EventStarted(int partition, long offset, string? key, DateTimeOffset publishedAt, DateTimeOffset now)
    {
        lock (_gate)
        {
            _partitions[partition] = new PartitionProgress(partition, offset, key, publishedAt, now, 0, null);
        }
    }

    /// <summary>The partition's event failed transiently and will be retried.</summary>
    public void EventFailing(int partition, string error)
    {
        lock (_gate)
        {
            if (_partitions.TryGetValue(partition, out var progress))
            {
                _partitions[partition] = progress with { Attempts = progress.Attempts + 1, LastError = error };
            }
        }
    }

    /// <summary>The partition's event was applied, skipped or dead-lettered: nothing of it is unapplied any more.</summary>
    public void EventSettled(int partition)
    {
        lock (_gate)
        {
            _partitions.Remove(partition);
        }
    }

    /// <summary>The partitions this process no longer consumes (a rebalance, a stop) stop being reported.</summary>
    public void PartitionsReleased()
    {
        lock (_gate)
        {
            _partitions.Clear();
        }
    }

    /// <summary>The events being worked on, one per partition, oldest first.</summary>
    public IReadOnlyList<PartitionProgress> Partitions
    {
        get
        {
            lock (_gate)
            {
                return _partitions.Values.OrderBy(p => p.PublishedAt).ToList();
            }
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

    private readonly Dictionary<string, (int Failures, string Error, DateTimeOffset Since)> _failingCalls = new(StringComparer.Ordinal);

    /// <summary>The HMS call (method) that failed most often in a row, and its last error; null when none is failing.</summary>
    public string? MetastoreCallError { get; private set; }

    /// <summary>How many times in a row that call failed (each method counts apart: the pump's reads succeeding do not hide a failing lookup).</summary>
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
            var (failures, _, since) = _failingCalls.GetValueOrDefault(call, (0, string.Empty, now));
            _failingCalls[call] = (failures + 1, error, since);
            ShowWorstCall();
        }
    }

    public void MetastoreCallSucceeded(string call)
    {
        lock (_gate)
        {
            _failingCalls.Remove(call);
            ShowWorstCall();
        }
    }

    private void ShowWorstCall()
    {
        if (_failingCalls.Count == 0)
        {
            (MetastoreCallError, MetastoreCallFailures, MetastoreCallFailingSince) = (null, 0, null);
            return;
        }

        var (call, (failures, error, since)) = _failingCalls.MaxBy(kv => kv.Value.Failures);
        (MetastoreCallError, MetastoreCallFailures, MetastoreCallFailingSince) = ($"{call}: {error}", failures, since);
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
