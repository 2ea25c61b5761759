using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Namespaces;

/// <summary>
/// <c>/healthz</c>'s <c>namespaces</c> check: degraded, naming each problem, while an opened namespace holds an edit it
/// could not apply or a namespace refused to open (a corrupt edit log); the data maps each datacenter to its problem.
/// </summary>
internal sealed class NamespaceHealthCheck(INamespaceCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var problems = catalog is NamespaceCatalog local ? local.Problems() : new Dictionary<string, string>();
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("every opened namespace applies its edits")
            : HealthCheckResult.Degraded(
                string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}")),
                data: problems.ToDictionary(p => p.Key, p => (object)p.Value)));
    }
}
