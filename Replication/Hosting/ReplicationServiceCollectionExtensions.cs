using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Unitization.Replication.Versions;
using Unitization.StateStore;

namespace Unitization.Replication.Hosting;

/// <summary>Registers the <c>replicator</c> role: its options (section <c>Replication</c>), services and endpoints.</summary>
public static class ReplicationServiceCollectionExtensions
{
    public const string RoleName = "replicator";

    public static IServiceCollection AddReplication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddReplicaVersionStore();
        services.AddHealthChecks().AddCheck(RoleName, () => HealthCheckResult.Healthy("role loaded"), tags: [RoleName]);
        return services;
    }

    /// <summary>
    /// Registers <see cref="IReplicaVersionStore"/> over the state store (needs <c>AddStateStore</c>) and its schema
    /// migration. Safe to call from several roles in one process: registers once.
    /// </summary>
    public static IServiceCollection AddReplicaVersionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IReplicaVersionStore)))
        {
            return services;
        }

        services.AddStateMigration(SqliteReplicaVersionStore.Migration);
        services.TryAddSingleton<IReplicaVersionStore, SqliteReplicaVersionStore>();
        return services;
    }

    public static IEndpointRouteBuilder MapReplication(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
