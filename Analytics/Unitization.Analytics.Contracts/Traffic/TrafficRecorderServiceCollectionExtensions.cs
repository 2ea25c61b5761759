using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Unitization.Analytics.Traffic;

/// <summary>Registers the recorder every role that moves bytes across a link publishes with.</summary>
public static class TrafficRecorderServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="ITrafficRecorder"/> the router and the replicator publish with: a Kafka producer on the traffic
    /// topic (<c>Analytics:TrafficTopic</c>, default <c>traffic</c>), each message signed (<see cref="TrafficProvenance"/>,
    /// <c>Analytics:Provenance</c>). Registered once however many roles ask.
    /// </summary>
    public static IServiceCollection AddTrafficRecorder(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton<TrafficKafka>();
        services.TryAddSingleton(_ => TrafficProvenance.FromConfiguration(
            configuration, Path.GetFullPath(configuration["DataFolder"] is { Length: > 0 } folder ? folder : "data")));
        services.TryAddSingleton<ITrafficRecorder>(sp => new KafkaTrafficRecorder(
            sp.GetRequiredService<TrafficKafka>().BootstrapServers,
            configuration["Analytics:TrafficTopic"] is { Length: > 0 } topic ? topic : "traffic",
            sp.GetRequiredService<TrafficProvenance>(),
            sp.GetRequiredService<ILogger<KafkaTrafficRecorder>>(),
            sp.GetRequiredService<TrafficKafka>().Security));
        return services;
    }
}
