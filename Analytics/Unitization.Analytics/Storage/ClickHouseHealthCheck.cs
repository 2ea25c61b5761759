using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.Analytics.Ingest;

namespace Unitization.Analytics.Storage;

/// <summary>Healthy when ClickHouse answers /ping; degraded (still serving, ingest spooling to disk) when it does not.</summary>
internal sealed class ClickHouseHealthCheck(TrafficTable table, IngestStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["clickhouse"] = table.Http.Server.ToString(), ["pendingSpoolFiles"] = status.PendingSpoolFiles };
        return await table.Http.PingAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy("role loaded; ClickHouse answers", data)
            : HealthCheckResult.Degraded($"ClickHouse at {table.Http.Server} does not answer; traffic is spooled to disk until it does", data: data);
    }
}
