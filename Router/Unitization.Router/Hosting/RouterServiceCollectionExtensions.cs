using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Traffic;
using Unitization.Namespaces;
using Unitization.Replication.Versions;
using Unitization.Router.Addresses;
using Unitization.Router.Api;
using Unitization.Router.Gateway;
using Unitization.Router.Mounts;
using Unitization.Router.Resolution;
using Unitization.Router.Security;
using Unitization.Router.Telemetry;
using Unitization.Router.Versions;
using Unitization.StateStore;
using Unitization.StateStore.Changes;
using Unitization.Throttle.Budget;
using Unitization.Throttle.Hosting;

namespace Unitization.Router.Hosting;

/// <summary>
/// Registers the <c>router</c> role: its options (section <c>Router</c>), the mount table, client network map, version
/// service (edit-log followers, replica-version refresh), resolver, resolve/mount APIs and the WebHDFS gateway.
/// Registers (once) the namespaces, the replica version store, the throttle client it reads through and the traffic
/// recorder (Kafka) that publishes cross-datacenter reads; needs the state store (<see cref="IStateDatabase"/>).
/// </summary>
public static class RouterServiceCollectionExtensions
{
    public const string RoleName = "router";

    public static IServiceCollection AddRouter(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RouterOptions>()
            .Bind(configuration.GetSection(RouterOptions.SectionName), o => o.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddNamespaces(configuration);
        services.AddReplicaVersionStore();
        services.AddThrottleClient(configuration);
        services.AddTrafficRecorder(configuration);
        services.AddStateMigration(StateStoreMountStore.Migration);
        services.AddStateMigration(StateStoreVersionCheckpointStore.Migration);
        services.AddStateMigration(StateStoreDelegationTokenStore.Migration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMountStore, StateStoreMountStore>();
        services.TryAddSingleton<IVersionCheckpointStore, StateStoreVersionCheckpointStore>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RouterOptions>>().Value;
            return ClientNetworkMap.Build(options.ClientNetworks, options.DefaultDatacenter, out _);
        });
        services.TryAddSingleton(sp => TrustedProxySet.Build(sp.GetRequiredService<IOptions<RouterOptions>>().Value.TrustedProxies, out _));
        services.TryAddSingleton<ClientAddress>();
        services.TryAddSingleton(sp => new MountRegistry(
            sp.GetRequiredService<IOptions<RouterOptions>>(), sp.GetRequiredService<INamespaceCatalog>(), sp.GetRequiredService<IMountStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MountRegistry>>())
        {
            Changes = sp.GetService<IStateChangeFeed>(),
        });
        services.TryAddSingleton<VersionService>();
        services.TryAddSingleton(sp => new RouterMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<VersionService>()));
        services.TryAddSingleton(sp => new RouteResolver(
            sp.GetRequiredService<MountRegistry>(), sp.GetRequiredService<ClientNetworkMap>(), sp.GetRequiredService<VersionService>(), sp.GetRequiredService<RouterMetrics>()));
        services.TryAddSingleton(sp => new PathFreshness(
            sp.GetRequiredService<MountRegistry>(), sp.GetRequiredService<VersionService>(), sp.GetRequiredService<IOptions<RouterOptions>>(), sp.GetService<Unitization.Replication.Locations.ITableLocationStore>()));
        services.TryAddSingleton(sp => new CrossDatacenterRead(
            sp.GetRequiredService<IBandwidthBudget>(), sp.GetService<ITrafficRecorder>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CrossDatacenterRead>>()));
        services.TryAddSingleton<StateStoreDelegationTokenStore>();
        services.TryAddSingleton<DelegationTokenManager>();
        services.TryAddSingleton<WebHdfsGuard>();
        services.TryAddSingleton<WebHdfsTokenOperations>();
        services.TryAddSingleton<WebHdfsGateway>();
        services.TryAddSingleton(sp => new PrimarySwitch(
            sp.GetRequiredService<MountRegistry>(), sp.GetRequiredService<VersionService>(), sp.GetRequiredService<IReplicaVersionStore>()));
        services.TryAddSingleton<StateRefresher>();
        services.AddHostedService<EditLogFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<StateRefresher>());
        services.AddHealthChecks().AddCheck<RouterHealthCheck>(RoleName, tags: [RoleName]);
        return services;
    }

    public static IEndpointRouteBuilder MapRouter(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ResolveEndpoints.Map(endpoints);
        MountEndpoints.Map(endpoints);
        StatusEndpoints.Map(endpoints);
        FreshnessEndpoints.Map(endpoints);
        var gateway = endpoints.ServiceProvider.GetRequiredService<WebHdfsGateway>();
        // a warehouse file is as large as it is (HDFS has no body limit either): CREATE streams it to the namespace
        endpoints.Map(WebHdfsGateway.Prefix + "/{**path}", gateway.HandleAsync).WithMetadata(new DisableRequestSizeLimitAttribute());
        return endpoints;
    }
}
