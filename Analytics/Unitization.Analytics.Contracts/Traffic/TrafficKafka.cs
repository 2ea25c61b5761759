using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Unitization.Kafka;

namespace Unitization.Analytics.Traffic;

/// <summary>The Kafka bootstrap address for Analytics' producers and consumer, resolved when first needed (the dev broker writes it at its start).</summary>
internal sealed class TrafficKafka(IOptions<KafkaOptions> kafka, IConfiguration configuration)
{
    public string BootstrapServers() =>
        KafkaBootstrap.Resolve(kafka.Value, Path.GetFullPath(configuration["DataFolder"] is { Length: > 0 } folder ? folder : "data"));
}
