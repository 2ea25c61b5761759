using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// Publishes traffic records to the traffic topic, keyed by record id (a replay lands on the same partition). Never
/// blocks the data path: a record the producer cannot queue is counted as dropped and logged, not retried inline.
/// </summary>
internal sealed class KafkaTrafficRecorder : ITrafficRecorder, IDisposable
{
    private readonly Lazy<IProducer<string, byte[]>> _producer;
    private readonly string _topic;
    private readonly ILogger<KafkaTrafficRecorder> _logger;
    private long _dropped;

    public KafkaTrafficRecorder(Func<string> bootstrapServers, string topic, ILogger<KafkaTrafficRecorder> logger)
    {
        _topic = topic;
        _logger = logger;
        _producer = new Lazy<IProducer<string, byte[]>>(() => new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers(),
            LingerMs = 20,
            EnableIdempotence = false,
            Acks = Acks.All,
            MessageTimeoutMs = 300_000,
        }).Build());
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            _producer.Value.Produce(_topic, new Message<string, byte[]> { Key = record.Id, Value = TrafficRecordJson.Serialize(record) }, OnDelivered);
        }
        catch (Exception e) when (e is ProduceException<string, byte[]> or KafkaException or InvalidOperationException)
        {
            Drop(record.Id, e.Message);
        }
    }

    private void OnDelivered(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Drop(report.Key, report.Error.Reason);
        }
    }

    private void Drop(string id, string reason)
    {
        Interlocked.Increment(ref _dropped);
        AnalyticsLog.TrafficRecordDropped(_logger, id, _topic, reason);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
