using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Unitization.Kafka;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Events;

/// <summary>
/// The replicator's Kafka clients. The producer is idempotent with acks=all (the dev broker has no transactions);
/// the consumer commits offsets by hand, only after an event's commit records are durable.
/// </summary>
internal sealed class ReplicationKafka(IOptions<KafkaOptions> kafka, IOptions<TopologyOptions> topology, IOptions<ReplicationOptions> options)
{
    public string BootstrapServers => KafkaBootstrap.Resolve(kafka.Value, topology.Value.ResolvePath("."));

    /// <summary>Waits until the broker's address is known (the dev broker may start after the service), showing why in health.</summary>
    public async Task WaitForBootstrapAsync(ReplicationHealth health, TimeSpan maxBackoff, TimeProvider time, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(maxBackoff);
        while (true)
        {
            try
            {
                _ = BootstrapServers;
                health.KafkaFailing(null);
                return;
            }
            catch (InvalidOperationException ex)
            {
                health.KafkaFailing(ex.Message);
                await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public IProducer<string, string> CreateProducer() => new ProducerBuilder<string, string>(new ProducerConfig
    {
        BootstrapServers = BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 2,
        MessageTimeoutMs = 300_000,
        ClientId = "unitization-replicator-" + options.Value.WorkerId,
    }).Build();

    public IConsumer<string, string> CreateConsumer() => new ConsumerBuilder<string, string>(new ConsumerConfig
    {
        BootstrapServers = BootstrapServers,
        GroupId = options.Value.ConsumerGroup,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        ClientId = "unitization-replicator-" + options.Value.WorkerId,
        FetchWaitMaxMs = 10,
        SessionTimeoutMs = (int)options.Value.ConsumerSessionTimeout.TotalMilliseconds,
        HeartbeatIntervalMs = (int)Math.Min(3000, options.Value.ConsumerSessionTimeout.TotalMilliseconds / 3),
    }).Build();
}
