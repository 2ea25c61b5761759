using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Unitization.Kafka;
using Unitization.Namespaces.Configuration;
using Unitization.Replication.Pump;

namespace Unitization.Replication.Events;

/// <summary>
/// The replicator's Kafka clients. The producer is idempotent with acks=all (the dev broker has no transactions);
/// the consumer commits offsets by hand, only after an event's commit records are durable. Every client reports to
/// health under its name (<c>pump</c>, <c>worker</c>, <c>dead-letters</c>) through a <see cref="KafkaClientMonitor"/>.
/// </summary>
internal sealed class ReplicationKafka(
    IOptions<KafkaOptions> kafka, IOptions<TopologyOptions> topology, IOptions<ReplicationOptions> options, ReplicationHealth health, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, KafkaClientMonitor> _monitors = new(StringComparer.Ordinal);

    public string BootstrapServers => KafkaBootstrap.Resolve(kafka.Value, topology.Value.ResolvePath("."));

    public KafkaClientMonitor Monitor(string client) => _monitors.GetOrAdd(client, c => new KafkaClientMonitor(c, health, time));

    /// <summary>Waits until the broker's address is known (the dev broker may start after the service), showing why in health.</summary>
    public async Task WaitForBootstrapAsync(string client, TimeSpan maxBackoff, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(maxBackoff);
        var monitor = Monitor(client);
        while (true)
        {
            try
            {
                _ = BootstrapServers;
                return;
            }
            catch (InvalidOperationException ex)
            {
                monitor.Failing(ex.Message);
                await Task.Delay(backoff.Next(), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A client configuration with <c>Kafka:Security</c> (SASL, TLS) applied.</summary>
    public T Secured<T>(T config)
        where T : ClientConfig => kafka.Value.Security.ApplyTo(config);

    public IProducer<string, string> CreateProducer(string client) => Monitor(client).Attach(new ProducerBuilder<string, string>(Secured(new ProducerConfig
    {
        BootstrapServers = BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 2,
        MessageTimeoutMs = 300_000,
        ClientId = $"unitization-replicator-{options.Value.WorkerId}-{client}",
        StatisticsIntervalMs = KafkaClientMonitor.StatisticsIntervalMs,
    }))).Build();

    public IConsumer<string, string> CreateConsumer(string client) => Monitor(client).Attach(new ConsumerBuilder<string, string>(Secured(new ConsumerConfig
    {
        BootstrapServers = BootstrapServers,
        GroupId = options.Value.ConsumerGroup,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        ClientId = $"unitization-replicator-{options.Value.WorkerId}-{client}",
        FetchWaitMaxMs = 10,
        SessionTimeoutMs = (int)options.Value.ConsumerSessionTimeout.TotalMilliseconds,
        HeartbeatIntervalMs = (int)Math.Min(3000, options.Value.ConsumerSessionTimeout.TotalMilliseconds / 3),
        StatisticsIntervalMs = KafkaClientMonitor.StatisticsIntervalMs,
    }))).Build();
}
