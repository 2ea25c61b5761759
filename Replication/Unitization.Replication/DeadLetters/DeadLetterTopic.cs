using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Unitization.Replication.Events;

namespace Unitization.Replication.DeadLetters;

/// <summary>
/// Reads and replays the dead-letter topic (<c>Replication:DeadLetterTopic</c>) for <c>unitization replication
/// dead-letters list|replay</c> and <c>/api/v1/replication/dead-letters</c>. Reading takes every partition from its
/// first offset to the end it had when the read began (no consumer group, nothing committed); a replay publishes the
/// chosen records again, key and value unchanged, to the events topic, where the workers apply them as any event:
/// idempotent application makes a replay of something already applied a no-op.
/// </summary>
internal sealed class DeadLetterTopic(ReplicationKafka kafka, IOptions<ReplicationOptions> options, TimeProvider time)
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The dead letters, oldest first per partition, at most <paramref name="limit"/> (the newest ones when there are more).</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var letters = await Task.Run(() => Read(cancellationToken), cancellationToken).ConfigureAwait(false);
        return letters.Count > limit ? letters.Skip(letters.Count - limit).ToList() : letters;
    }

    /// <summary>
    /// Publishes the dead letters named by <paramref name="ids"/> (all of them when null) to the events topic again;
    /// returns the ids replayed. An id not in the topic is an <see cref="KeyNotFoundException"/> naming it, and nothing is replayed.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplayAsync(IReadOnlyCollection<string>? ids, CancellationToken cancellationToken)
    {
        var records = await Task.Run(() => ReadRecords(cancellationToken), cancellationToken).ConfigureAwait(false);
        var chosen = records;
        if (ids is not null)
        {
            var byId = records.ToDictionary(r => IdOf(r), StringComparer.Ordinal);
            var missing = ids.Where(id => !byId.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                throw new KeyNotFoundException(
                    $"No dead letter {string.Join(", ", missing.Select(m => $"'{m}'"))} in topic {options.Value.DeadLetterTopic}; 'dead-letters list' shows the ids (partition-offset).");
            }

            chosen = ids.Distinct(StringComparer.Ordinal).Select(id => byId[id]).ToList();
        }

        if (chosen.Count == 0)
        {
            return [];
        }

        using var producer = kafka.CreateProducer("replay");
        var deliveries = chosen.Select(r =>
        {
            var headers = new Headers { { DeadLetterHeaders.ReplayOf, Encoding.UTF8.GetBytes(IdOf(r)) } };
            return producer.ProduceAsync(options.Value.EventsTopic, new Message<string, string> { Key = r.Message.Key, Value = r.Message.Value, Headers = headers }, cancellationToken);
        }).ToList();
        await Task.WhenAll(deliveries).ConfigureAwait(false);
        return chosen.Select(IdOf).ToList();
    }

    private List<DeadLetter> Read(CancellationToken cancellationToken) => ReadRecords(cancellationToken).Select(ToDeadLetter).ToList();

    private List<ConsumeResult<string, string>> ReadRecords(CancellationToken cancellationToken)
    {
        var topic = options.Value.DeadLetterTopic;
        using var admin = new AdminClientBuilder(kafka.Secured(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers })).Build();
        var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.Code == ErrorCode.UnknownTopicOrPart || metadata.Partitions.Count == 0)
        {
            return [];
        }

        using var consumer = new ConsumerBuilder<string, string>(kafka.Secured(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "unitization-dead-letters-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            FetchWaitMaxMs = 10,
        })).Build();
        var ends = new Dictionary<int, long>();
        var starts = new List<TopicPartitionOffset>();
        foreach (var partition in metadata.Partitions)
        {
            var tp = new TopicPartition(topic, partition.PartitionId);
            var watermarks = consumer.QueryWatermarkOffsets(tp, MetadataTimeout);
            if (watermarks.High.Value > watermarks.Low.Value)
            {
                ends[partition.PartitionId] = watermarks.High.Value;
                starts.Add(new TopicPartitionOffset(tp, watermarks.Low));
            }
        }

        var records = new List<ConsumeResult<string, string>>();
        if (starts.Count == 0)
        {
            return records;
        }

        consumer.Assign(starts);
        var deadline = time.GetTimestamp();
        while (ends.Count > 0)
        {
            if (time.GetElapsedTime(deadline) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Reading dead-letter topic {topic} took over 30 s; {ends.Count} partition(s) not read to the end.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            cancellationToken.ThrowIfCancellationRequested();
            if (result?.Message is null)
            {
                continue;
            }

            records.Add(result);
            if (result.Offset.Value + 1 >= ends.GetValueOrDefault(result.Partition.Value, long.MaxValue))
            {
                ends.Remove(result.Partition.Value);
            }
        }

        consumer.Close();
        return records.OrderBy(r => r.Message.Timestamp.UnixTimestampMs).ThenBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value).ToList();
    }

    private static string IdOf(ConsumeResult<string, string> record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.Partition.Value}-{record.Offset.Value}");

    private static DeadLetter ToDeadLetter(ConsumeResult<string, string> record)
    {
        var headers = record.Message.Headers;
        string? Header(string name) => headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        long? eventId = null;
        string? eventType = null;
        try
        {
            var envelope = HmsEventEnvelope.Parse(record.Message.Value);
            (eventId, eventType) = (envelope.EventId, envelope.EventType);
        }
        catch (Metastore.MalformedEventException)
        {
            // a record that is not an envelope is shown as it is
        }

        return new DeadLetter(
            IdOf(record),
            record.Message.Timestamp.UtcDateTime,
            record.Message.Key,
            Header(DeadLetterHeaders.Reason) ?? "(no reason header)",
            Header(DeadLetterHeaders.Source),
            eventId,
            eventType,
            Header(DeadLetterHeaders.ReplayOf),
            record.Message.Value ?? string.Empty);
    }
}
