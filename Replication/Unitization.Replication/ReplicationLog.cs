using Microsoft.Extensions.Logging;
using Unitization.Namespaces;

namespace Unitization.Replication;

/// <summary>Replication's log messages (event ids 3000-3999).</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Pump published events {First}..{Last} to {Topic}")]
    public static partial void Published(ILogger logger, long first, long last, string topic);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "HMS {Endpoint} unreachable ({Error}); retrying in {Delay}")]
    public static partial void MetastoreUnreachable(ILogger logger, string endpoint, string error, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Event id gap: expected {Expected}, HMS returned {Actual} (events cleaned before they were read); re-syncing {Tables} table(s)")]
    public static partial void EventGap(ILogger logger, long expected, long actual, int tables);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Replicated {Path} {Source}->{Target} at txid {TxId}: {Files} files, {Bytes} bytes")]
    public static partial void Replicated(ILogger logger, string path, string source, string target, TxId txId, int files, long bytes);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Skipped {Path} in {Target}: replica at txid {Have} is already fresh")]
    public static partial void Skipped(ILogger logger, string path, string target, TxId have);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Deleted replica {Path} in {Target}")]
    public static partial void Deleted(ILogger logger, string path, string target);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Transient failure on event {EventId} ({Error}); retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, long eventId, string error, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Event {EventId} ({EventType} {Table}) sent to dead letter topic {Topic}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, long eventId, string eventType, string table, string topic, string reason);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Error, Message = "The {Loop} loop failed outside any one event; it starts again in {Delay}")]
    public static partial void LoopRestarting(ILogger logger, Exception exception, string loop, TimeSpan delay);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Information, Message = "Removed stale staging {Path} in {Datacenter}")]
    public static partial void StaleStagingRemoved(ILogger logger, string path, string datacenter);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Debug, Message = "Source {Path} changed while it was copied; copying again")]
    public static partial void SourceChanged(ILogger logger, string path);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "No bandwidth budget is registered (throttle client missing): copies are not throttled")]
    public static partial void Unthrottled(ILogger logger);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Lifecycle {Action} replica {Path} in {Datacenter}: {Reason}")]
    public static partial void Lifecycle(ILogger logger, string action, string path, string datacenter, string reason);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Lifecycle could not sweep replica {Path} in {Datacenter} (the next sweep retries it)")]
    public static partial void LifecycleFailed(ILogger logger, Exception exception, string path, string datacenter);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Migration {Id}: {Phase}")]
    public static partial void MigrationPhase(ILogger logger, string id, string phase);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error, Message = "Migration {Id} failed: {Error}")]
    public static partial void MigrationFailed(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Warning, Message = "Replication rules unavailable ({Error}); keeping the last {Count} rule(s)")]
    public static partial void RulesUnavailable(ILogger logger, string error, int count);

    [LoggerMessage(EventId = 3050, Level = LogLevel.Information, Message = "Transaction {TxnId} committed: published its {Writes} held ACID write(s)")]
    public static partial void AcidCommitted(ILogger logger, long txnId, int writes);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Information, Message = "Transaction {TxnId} aborted: dropped its {Writes} held ACID write(s)")]
    public static partial void AcidAborted(ILogger logger, long txnId, int writes);

    [LoggerMessage(EventId = 3060, Level = LogLevel.Information, Message = "Standby writer: {Reason}; waiting for the writer lock")]
    public static partial void WriterStandby(ILogger logger, string reason);

    [LoggerMessage(EventId = 3061, Level = LogLevel.Information, Message = "Writer of every local namespace now (after {Waited} as a standby)")]
    public static partial void WriterActive(ILogger logger, TimeSpan waited);

    [LoggerMessage(EventId = 3062, Level = LogLevel.Information, Message = "Migration {Id}: taken over by {Owner} (the lease of {Previous} expired at {Expired})")]
    public static partial void MigrationTakenOver(ILogger logger, string id, string owner, string previous, DateTimeOffset expired);

    [LoggerMessage(EventId = 3070, Level = LogLevel.Information, Message = "Replica {Path} in {Target} cannot be swapped in one step: its commit record is retracted (routers serve the primary) for {GraceMs} ms before the old copy is replaced")]
    public static partial void RetractedForSwap(ILogger logger, string path, string target, long graceMs);

    [LoggerMessage(EventId = 3065, Level = LogLevel.Warning, Message = "Pump lease {Lease} (epoch {Epoch}) lost ({Reason}): stopped pumping, standing by")]
    public static partial void PumpLeadershipLost(ILogger logger, string lease, long epoch, string reason);
}
