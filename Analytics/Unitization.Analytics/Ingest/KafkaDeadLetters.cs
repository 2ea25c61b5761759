using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// Publishes dead letters to the dead-letter topic: the original key and bytes, with headers <c>reason</c>,
/// <c>source-topic</c>, <c>source-partition</c> and <c>source-offset</c>.
/// </summary>
internal sealed class KafkaDeadLetters : IDeadLetters, IDisposable
{
    private readonly Lazy<IProducer<byte[]?, byte[]>> _producer;
    private readonly string _topic;

    public KafkaDeadLetters(Func<string> bootstrapServers, string topic, Unitization.Kafka.KafkaSecurityOptions? security = null)
    {
        _topic = topic;
        _producer = new(() => new ProducerBuilder<byte[]?, byte[]>((security ?? new Unitization.Kafka.KafkaSecurityOptions()).ApplyTo(new ProducerConfig
        {
            BootstrapServers = bootstrapServers(),
            Acks = Acks.All,
            LingerMs = 5,
        })).Build());
    }

    public async Task SendAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var headers = new Headers
        {
            { "reason", Encoding.UTF8.GetBytes(letter.Reason) },
            { "source-topic", Encoding.UTF8.GetBytes(letter.Topic) },
            { "source-partition", Encoding.UTF8.GetBytes(letter.Partition.ToString(CultureInfo.InvariantCulture)) },
            { "source-offset", Encoding.UTF8.GetBytes(letter.Offset.ToString(CultureInfo.InvariantCulture)) },
        };
        await _producer.Value.ProduceAsync(_topic, new Message<byte[]?, byte[]> { Key = letter.Key, Value = letter.Payload, Headers = headers }, cancellationToken)
            .ConfigureAwait(false);
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
