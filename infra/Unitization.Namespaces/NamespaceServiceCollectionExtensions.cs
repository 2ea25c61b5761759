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
    /// <see cref="INamespaceFactory"/> services registered (Unitization.Hdfs's <c>AddHdfsNamespaces</c> for <c>hdfs</c>).
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
        services.TryAddSingleton<INamespaceCatalog>(sp => new NamespaceCatalog(
            sp.GetRequiredService<IOptions<TopologyOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            factories: sp.GetServices<INamespaceFactory>()));
        return services;
    }
}
