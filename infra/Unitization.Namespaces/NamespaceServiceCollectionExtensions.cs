using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Namespaces.Configuration;

namespace Unitization.Namespaces;

public static class NamespaceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="INamespaceCatalog"/> (once, whichever roles call this) over <see cref="TopologyOptions"/>
    /// bound from the configuration root (<c>DataFolder</c>, <c>Datacenters</c>). Non-local kinds are built by the
    /// <see cref="INamespaceFactory"/> services registered (Unitization.Hdfs's <c>AddHdfsNamespaces</c> for <c>hdfs</c>);
    /// <c>NamespaceAccess</c> <c>follow</c> opens local namespaces read-only, tailing their edit logs without the writer lock.
    /// </summary>
    public static IServiceCollection AddNamespaces(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<TopologyOptions>)))
        {
            services.AddOptions<TopologyOptions>()
                .Bind(configuration, o => o.ErrorOnUnknownConfiguration = false)
                .ValidateDataAnnotations()
                .ValidateOnStart();
            services.AddHealthChecks().AddCheck<NamespaceHealthCheck>("namespaces");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INamespaceCatalog>(sp =>
        {
            var topology = sp.GetRequiredService<IOptions<TopologyOptions>>().Value;
            return new NamespaceCatalog(
                topology,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>(),
                readOnly: topology.NamespaceAccess == "follow",
                factories: sp.GetServices<INamespaceFactory>(),
                awaitCreation: topology.NamespaceAccess == "follow");
        });
        return services;
    }
}
