using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Unitization.Kafka;

namespace Unitization.Analytics.Traffic;

/// <summary>The Kafka bootstrap address for Analytics' producers and consumer, resolved when first needed (the dev broker writes it at its start).</summary>
internal sealed class TrafficKafka(IOptions<KafkaOptions> kafka, IConfiguration configuration)
{
    /// <summary>The security settings (<c>Kafka:Security</c>) every client of Analytics and the recorder applies.</summary>
    public KafkaSecurityOptions Security => kafka.Value.Security;

    public string BootstrapServers() =>
        KafkaBootstrap.Resolve(kafka.Value, Path.GetFullPath(configuration["DataFolder"] is { Length: > 0 } folder ? folder : "data"));
}
