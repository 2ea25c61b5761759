using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Kafka;
using Unitization.Namespaces;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.DeadLetters;
using Unitization.Replication.Events;
using Unitization.Replication.Hosting;
using Unitization.Replication.Versions;
using Unitization.StateStore;
using Unitization.Throttle.Hosting;

namespace Unitization.Replication.Cli;

/// <summary>The services a Replication verb needs, from the configuration file (and <c>UNITIZATION_</c> environment variables), without the HTTP host.</summary>
internal static class CliServices
{
    public static async Task<ServiceProvider> BuildAsync(FileInfo config, string? dataFolder, CancellationToken cancellationToken, Action<IServiceCollection>? addServices = null)
    {
        if (!config.Exists)
        {
            throw new FileNotFoundException($"Configuration file '{config.FullName}' does not exist (use --config FILE).");
        }

        // the file, then UNITIZATION_ environment variables over its keys (as `serve` reads them: a fleet's state store,
        // throttle URLs and credentials), then --data
        var builder = new ConfigurationBuilder().AddJsonFile(config.FullName, optional: false).AddEnvironmentVariables("UNITIZATION_");
        if (dataFolder is not null)
        {
            builder.AddInMemoryCollection(new Dictionary<string, string?> { ["DataFolder"] = dataFolder });
        }

        var configuration = builder.Build();
        var topology = new TopologyOptions();
        configuration.Bind(topology);
        var data = Path.GetFullPath(topology.DataFolder);
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddReplicationOptions(configuration);
        services.AddStateStore(configuration, data);
        services.AddNamespaces(configuration);
        services.AddThrottleClient(configuration);
        services.AddReplicaVersionStore();
        services.AddReplicationCore();
        services.AddKafkaOptions(configuration);
        services.AddSingleton<ReplicationKafka>();
        services.AddSingleton<DeadLetterTopic>();
        addServices?.Invoke(services);
        var provider = services.BuildServiceProvider();
        try
        {
            // as serve does at its start: a misspelt key or a bad value is said before any work, naming the file
            _ = provider.GetRequiredService<IOptions<ReplicationOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<KafkaOptions>>().Value;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(OptionsFailure.Describe(ex, config.FullName), ex);
        }

        await provider.GetRequiredService<IStateDatabase>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        _ = provider.GetRequiredService<IOptions<TopologyOptions>>().Value;
        _ = provider.GetRequiredService<INamespaceCatalog>();
        return provider;
    }
}
