using Microsoft.Extensions.Logging;

namespace Unitization.Analytics;

/// <summary>Every log line of the Analytics component (event ids 6000-6099).</summary>
internal static partial class AnalyticsLog
{
    [LoggerMessage(6003, LogLevel.Warning, "Malformed traffic record at {Topic}[{Partition}]@{Offset} sent to {DeadLetterTopic}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason);

    [LoggerMessage(6004, LogLevel.Warning, "ClickHouse refused a batch of {Count} records ({Reason}); spooled to {File}")]
    public static partial void BatchSpooled(ILogger logger, int count, string reason, string file);

    [LoggerMessage(6005, LogLevel.Information, "Spooled batch {File} ({Count} records, {Inserted} new) written to ClickHouse")]
    public static partial void SpoolDrained(ILogger logger, string file, int count, int inserted);

    [LoggerMessage(6006, LogLevel.Debug, "Stored {Count} traffic records ({Duplicates} duplicates skipped)")]
    public static partial void BatchStored(ILogger logger, int count, int duplicates);

    [LoggerMessage(6007, LogLevel.Information, "Dedupe filter loaded with {Count} record ids since {Since}")]
    public static partial void DedupeLoaded(ILogger logger, int count, DateTimeOffset since);

    [LoggerMessage(6008, LogLevel.Error, "Traffic ingest failed; restarting the consumer")]
    public static partial void IngestFailed(ILogger logger, Exception exception);

    [LoggerMessage(6009, LogLevel.Information, "Rate cap for job {Job} set to {BytesPerSecond} B/s by {SetBy} through the dashboard")]
    public static partial void CapSet(ILogger logger, string job, long bytesPerSecond, string setBy);

    [LoggerMessage(6010, LogLevel.Information, "Rate cap for job {Job} lifted by {SetBy} through the dashboard")]
    public static partial void CapLifted(ILogger logger, string job, string setBy);

    [LoggerMessage(6011, LogLevel.Warning, "Spooled batch {File} still cannot be written ({Reason})")]
    public static partial void SpoolRetryFailed(ILogger logger, string file, string reason);

    [LoggerMessage(6012, LogLevel.Warning, "Waiting on the traffic topic {Topic}: {Reason}")]
    public static partial void ConsumerWaiting(ILogger logger, string topic, string reason);
}
