using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// The traffic ingest's own health: Degraded, with the reason, while its consumer cannot reach Kafka, while ClickHouse
/// does not take its writes (batches wait in the disk spool) or while its loop is being restarted after a failure.
/// </summary>
internal sealed class IngestHealthCheck(IngestStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["stored"] = status.Stored, ["deadLettered"] = status.DeadLettered, ["pendingSpoolFiles"] = status.PendingSpoolFiles };
        var reasons = new List<string>();
        if (status.KafkaError is { } kafka)
        {
            data["kafkaErrorSince"] = status.KafkaErrorSince!.Value;
            reasons.Add($"Kafka: {kafka}");
        }

        if (status.PendingSpoolFiles > 0)
        {
            reasons.Add($"ClickHouse writes failing: {status.PendingSpoolFiles} batch(es) wait in the disk spool ({status.LastError})");
        }

        if (status.LoopError is { } loop)
        {
            reasons.Add($"ingest loop restarting after: {loop}");
        }

        return Task.FromResult(reasons.Count > 0
            ? HealthCheckResult.Degraded(string.Join("; ", reasons), data: data)
            : HealthCheckResult.Healthy("ingesting traffic", data));
    }
}
