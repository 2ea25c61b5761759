using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.StateStore;

/// <summary>
/// <c>/healthz</c>'s <c>state-store</c> check: one round trip (<c>SELECT 1</c>) on a connection of the state store;
/// degraded with the store's own error while it cannot answer (file unreadable, disk full, server down).
/// </summary>
internal sealed class StateStoreHealthCheck(IStateDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"the {database.Provider} state store answers");
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return HealthCheckResult.Degraded($"the {database.Provider} state store does not answer: {ex.Message}");
        }
    }
}
