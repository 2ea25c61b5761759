using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Unitization.Namespaces;

namespace Unitization.Hdfs.Hosting;

public static class HdfsServiceCollectionExtensions
{
    /// <summary>
    /// Lets the namespace catalog open <c>Kind: hdfs</c> (alias <c>webhdfs</c>) datacenters: registers the
    /// <see cref="INamespaceFactory"/> that builds them (WebHDFS files, versions from the NameNode's edit log).
    /// </summary>
    public static IServiceCollection AddHdfsNamespaces(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INamespaceFactory, HdfsNamespaceFactory>(sp =>
            new HdfsNamespaceFactory(sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetService<ILoggerFactory>())));
        return services;
    }
}
