using System.Buffers;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Unitization.Analytics.Traffic;

/// <summary>
/// Publishes traffic records to the traffic topic in batches: records queue in memory and a background loop sends
/// them as JSON lines, up to <see cref="MaxRecordsPerMessage"/> a message, lz4-compressed (a record a message would cost
/// the brokers and the ingest a message's overhead per record). Never blocks the data path: a record that finds the
/// queue full, or whose message the producer cannot deliver, is counted as dropped and logged, not retried inline.
/// Each message is signed as this process's producer (<see cref="TrafficProvenance"/>).
/// </summary>
internal sealed class KafkaTrafficRecorder : ITrafficRecorder, IDisposable
{
    public const int MaxRecordsPerMessage = 500;
    private const int QueueCapacity = 100_000;
    private readonly Lazy<IProducer<Null, byte[]>> _producer;
    private readonly Channel<TrafficRecord> _queue = Channel.CreateBounded<TrafficRecord>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly string _topic;
    private readonly TrafficProvenance _provenance;
    private readonly ILogger<KafkaTrafficRecorder> _logger;
    private readonly Task _sender;
    private long _dropped;

    public KafkaTrafficRecorder(Func<string> bootstrapServers, string topic, TrafficProvenance provenance, ILogger<KafkaTrafficRecorder> logger, Unitization.Kafka.KafkaSecurityOptions? security = null)
    {
        _topic = topic;
        _provenance = provenance;
        _logger = logger;
        _producer = new Lazy<IProducer<Null, byte[]>>(() => new ProducerBuilder<Null, byte[]>((security ?? new Unitization.Kafka.KafkaSecurityOptions()).ApplyTo(new ProducerConfig
        {
            BootstrapServers = bootstrapServers(),
            LingerMs = 20,
            CompressionType = CompressionType.Lz4,
            EnableIdempotence = false,
            Acks = Acks.All,
            MessageTimeoutMs = 300_000,
        })).Build());
        _sender = Task.Run(SendAsync);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(TrafficRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_queue.Writer.TryWrite(record))
        {
            Drop(record.Id, 1, $"the recorder's queue of {QueueCapacity:N0} records is full");
        }
    }

    private async Task SendAsync()
    {
        var lines = new ArrayBufferWriter<byte>(64 * 1024);
        var batch = new List<TrafficRecord>(MaxRecordsPerMessage);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            lines.ResetWrittenCount();
            batch.Clear();
            while (batch.Count < MaxRecordsPerMessage && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            TrafficRecordJson.WriteLines(lines, batch);
            var first = batch[0].Id;
            var count = batch.Count;
            try
            {
                var value = lines.WrittenSpan.ToArray();
                _producer.Value.Produce(_topic, new Message<Null, byte[]> { Value = value, Headers = _provenance.Sign(value) }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Drop(first, count, report.Error.Reason);
                    }
                });
            }
            catch (Exception e) when (e is ProduceException<Null, byte[]> or KafkaException or InvalidOperationException)
            {
                Drop(first, count, e.Message);
            }
        }
    }

    private void Drop(string firstId, int records, string reason)
    {
        Interlocked.Add(ref _dropped, records);
        TrafficLog.TrafficRecordsDropped(_logger, records, firstId, _topic, reason);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _sender.Wait(TimeSpan.FromSeconds(5));
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }
}
