using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Unitization.StateStore;

namespace Unitization.Replication.Versions;

/// <summary>Registers the replica version store every role that reads or writes replica versions uses.</summary>
public static class ReplicaVersionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IReplicaVersionStore"/> and the metastore's table locations over the state store (needs
    /// <c>AddStateStore</c>) and their schema migrations. Safe to call from several roles in one process: registers once.
    /// </summary>
    public static IServiceCollection AddReplicaVersionStore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IReplicaVersionStore)))
        {
            return services;
        }

        services.AddStateMigration(StateStoreReplicaVersionStore.Migration);
        services.TryAddSingleton<IReplicaVersionStore, StateStoreReplicaVersionStore>();
        services.AddStateMigration(Locations.StateStoreTableLocationStore.Migration);
        services.TryAddSingleton<Locations.ITableLocationStore, Locations.StateStoreTableLocationStore>();
        return services;
    }
}
