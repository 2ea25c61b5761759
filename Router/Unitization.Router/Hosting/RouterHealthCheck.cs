using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.Router.Resolution;
using Unitization.Router.Versions;

namespace Unitization.Router.Hosting;

/// <summary>Healthy with the mount count; degraded while an edit log is not yet followed to its end.</summary>
internal sealed class RouterHealthCheck(RouteResolver resolver, VersionService versions, Gateway.CrossDatacenterRead crossDatacenter) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = versions.Datacenters
            .Where(dc => versions.IndexOf(dc).Position < versions.NamespaceOf(dc).LastTxId)
            .Select(dc => $"{dc} at txid {versions.IndexOf(dc).Position} of {versions.NamespaceOf(dc).LastTxId}")
            .ToList();
        var summary = $"{resolver.Mounts.Count} mounts, {resolver.Networks.NetworkCount} client networks" +
            (crossDatacenter.Records ? string.Empty : ", no traffic recorder registered (cross-datacenter reads are logged, not published)");
        return Task.FromResult(behind.Count == 0
            ? HealthCheckResult.Healthy(summary + ", edit logs followed")
            : HealthCheckResult.Degraded(summary + "; catching up: " + string.Join(", ", behind)));
    }
}
