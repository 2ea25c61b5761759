using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// The <c>analytics</c> role's consumer: reads the traffic topic in batches (consumer group, manual commits), sends
/// malformed messages to the dead-letter topic, stores the rest through <see cref="TrafficIngestor"/>, and commits
/// a partition's offset only after every record before it is in ClickHouse or in the disk spool.
/// </summary>
internal sealed class TrafficIngestService : BackgroundService
{
    private readonly TrafficIngestor _ingestor;
    private readonly IDeadLetters _deadLetters;
    private readonly IngestStatus _status;
    private readonly AnalyticsOptions _options;
    private readonly Func<string> _bootstrapServers;
    private readonly TimeProvider _time;
    private readonly ILogger<TrafficIngestService> _logger;

    public TrafficIngestService(
        TrafficIngestor ingestor,
        IDeadLetters deadLetters,
        IngestStatus status,
        IOptions<AnalyticsOptions> options,
        TrafficKafka kafka,
        TimeProvider time,
        ILogger<TrafficIngestService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kafka);
        _ingestor = ingestor;
        _deadLetters = deadLetters;
        _status = status;
        _options = options.Value;
        _bootstrapServers = kafka.BootstrapServers;
        _time = time;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _options.Ingest
        ? Task.Factory.StartNew(() => RunAsync(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()
        : Task.CompletedTask;

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KafkaException or InvalidOperationException or IOException)
            {
                _status.LastError = e.Message;
                AnalyticsLog.IngestFailed(_logger, e);
                await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryMilliseconds), _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void NoteTransient(string reason)
    {
        if (_status.LastError != reason)
        {
            AnalyticsLog.ConsumerWaiting(_logger, _options.TrafficTopic, reason);
        }

        _status.LastError = reason;
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _bootstrapServers(),
            GroupId = _options.ConsumerGroup,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 50,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(config)
            .SetPartitionsAssignedHandler((_, _) => _ingestor.PartitionsAssigned())
            .Build();
        consumer.Subscribe(_options.TrafficTopic);
        try
        {
            var linger = TimeSpan.FromMilliseconds(_options.BatchLingerMilliseconds);
            var records = new List<TrafficRecord>(_options.BatchSize);
            var offsets = new Dictionary<TopicPartition, Offset>();
            var deadLetters = new List<Task>();
            while (!stoppingToken.IsCancellationRequested)
            {
                records.Clear();
                offsets.Clear();
                deadLetters.Clear();
                var started = _time.GetTimestamp();
                var consumed = 0;
                while (consumed < _options.BatchSize)
                {
                    var left = linger - _time.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero || stoppingToken.IsCancellationRequested)
                    {
                        break;
                    }

                    ConsumeResult<byte[]?, byte[]>? result;
                    try
                    {
                        result = consumer.Consume(left);
                    }
                    catch (ConsumeException e) when (!e.Error.IsFatal && e.ConsumerRecord is null)
                    {
                        // e.g. the topic does not exist yet: the consumer keeps its place and asks again
                        NoteTransient(e.Error.Reason);
                        break;
                    }

                    if (result is null)
                    {
                        break;
                    }

                    if (result.IsPartitionEOF || result.Message is null)
                    {
                        continue;
                    }

                    consumed++;
                    offsets[result.TopicPartition] = result.Offset + 1;
                    if (TrafficRecordJson.TryParse(result.Message.Value, out var record, out var error))
                    {
                        records.Add(record!);
                    }
                    else
                    {
                        AnalyticsLog.DeadLettered(_logger, result.Topic, result.Partition.Value, result.Offset.Value, _options.DeadLetterTopic, error!);
                        deadLetters.Add(_deadLetters.SendAsync(
                            new DeadLetter(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, result.Message.Value ?? [], error!),
                            stoppingToken));
                    }
                }

                _status.AddConsumed(consumed);
                await Task.WhenAll(deadLetters).ConfigureAwait(false);
                _status.AddDeadLettered(deadLetters.Count);
                await _ingestor.StoreAsync(records, stoppingToken).ConfigureAwait(false);
                if (offsets.Count > 0)
                {
                    consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key, o.Value)));
                }

                await _ingestor.DrainSpoolAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            consumer.Close();
        }
    }
}
