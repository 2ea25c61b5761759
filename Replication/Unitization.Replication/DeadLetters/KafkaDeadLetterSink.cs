using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Unitization.Replication.Events;
using Unitization.Replication.Workers;

namespace Unitization.Replication.DeadLetters;

/// <summary>Publishes dead letters to <c>Replication:DeadLetterTopic</c> (idempotent producer, acks=all), created on first use.</summary>
internal sealed class KafkaDeadLetterSink(ReplicationKafka kafka, IOptions<ReplicationOptions> options) : IDeadLetterSink, IDisposable
{
    private readonly Lock _gate = new();
    private IProducer<string, string>? _producer;

    public async Task SendAsync(EventRecord record, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
            { DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(record.Source) },
        };
        if (record.ReplayOf is { } replayOf)
        {
            headers.Add(DeadLetterHeaders.ReplayOf, Encoding.UTF8.GetBytes(replayOf));
        }

        await Producer().ProduceAsync(
            options.Value.DeadLetterTopic,
            new Message<string, string> { Key = record.Key!, Value = record.Value!, Headers = headers },
            cancellationToken).ConfigureAwait(false);
        kafka.Monitor("dead-letters").Working();
    }

    private IProducer<string, string> Producer()
    {
        lock (_gate)
        {
            return _producer ??= kafka.CreateProducer("dead-letters");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _producer?.Flush(TimeSpan.FromSeconds(5));
            _producer?.Dispose();
            _producer = null;
        }
    }
}
