using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Hosting;

/// <summary>Degraded while HMS or Kafka fails (with the error and since when); the last event-id gap and dead letters as data.</summary>
internal sealed class ReplicationHealthCheck(ReplicationHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["lastPublishedEventId"] = health.LastPublishedEventId,
            ["applied"] = health.Applied,
            ["deadLetters"] = health.DeadLetters,
        };
        if (health.LastGapFrom is { } from)
        {
            data["lastGap"] = $"{from}..{health.LastGapTo}";
        }

        if (health.MetastoreCallFailures >= 3 && health.MetastoreCallError is { } callError)
        {
            data["metastoreCallFailures"] = health.MetastoreCallFailures;
            return Task.FromResult(HealthCheckResult.Degraded($"HMS calls failing ({health.MetastoreCallFailures} in a row): {callError}", data: data));
        }

        if (health.MetastoreError is { } error)
        {
            data["metastoreErrorSince"] = health.MetastoreErrorSince!.Value;
            return Task.FromResult(HealthCheckResult.Degraded($"HMS unreachable: {error}", data: data));
        }

        return Task.FromResult(health.KafkaError is { } kafka
            ? HealthCheckResult.Degraded($"Kafka: {kafka}", data: data)
            : HealthCheckResult.Healthy("following HMS", data));
    }
}
