using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;

namespace Unitization.Analytics.Ingest;

/// <summary>
/// The <c>analytics</c> role's consumer: reads the traffic topic in batches (consumer group, manual commits), sends
/// malformed messages and messages no trusted producer signed (<see cref="TrafficProvenance"/>) to the dead-letter
/// topic, stores the rest through <see cref="TrafficIngestor"/>, and commits
/// a partition's offset only after every record before it is in ClickHouse or in the disk spool.
/// </summary>
internal sealed class TrafficIngestService : BackgroundService
{
    private readonly TrafficIngestor _ingestor;
    private readonly IDeadLetters _deadLetters;
    private readonly IngestStatus _status;
    private readonly AnalyticsOptions _options;
    private readonly Func<string> _bootstrapServers;
    private readonly TrafficKafka _kafka;
    private readonly TimeProvider _time;
    private readonly TrafficProvenance _provenance;
    private readonly ILogger<TrafficIngestService> _logger;

    public TrafficIngestService(
        TrafficIngestor ingestor,
        IDeadLetters deadLetters,
        IngestStatus status,
        IOptions<AnalyticsOptions> options,
        TrafficKafka kafka,
        TimeProvider time,
        TrafficProvenance provenance,
        ILogger<TrafficIngestService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kafka);
        _ingestor = ingestor;
        _deadLetters = deadLetters;
        _status = status;
        _options = options.Value;
        _bootstrapServers = kafka.BootstrapServers;
        _kafka = kafka;
        _time = time;
        _provenance = provenance;
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
#pragma warning disable CA1031 // a supervisor: whatever fails the loop is reported and the loop starts again; the host never stops for it
            catch (Exception e)
#pragma warning restore CA1031
            {
                _status.LastError = e.Message;
                _status.LoopError = $"{e.GetType().Name}: {e.Message}";
                AnalyticsLog.IngestFailed(_logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(_options.RetryMilliseconds), _time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Every broker down, a fatal error or failed authentication: the consumer cannot work, and health says why.</summary>
    private void OnKafkaError(Error error)
    {
        if (error.IsFatal || error.Code is ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Authentication or ErrorCode.Local_Resolve)
        {
            _status.KafkaFailing($"{error.Reason} ({error.Code})", _time.GetUtcNow());
        }
    }

    private void OnKafkaStatistics(string json)
    {
        var (known, up) = Unitization.Kafka.KafkaStatistics.BrokersUp(json);
        if (up > 0)
        {
            _status.KafkaWorking(_time.GetUtcNow());
        }
        else if (known > 0)
        {
            _status.KafkaFailing($"none of {known} Kafka broker(s) is connected", _time.GetUtcNow());
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

    /// <summary>
    /// A three-stage pipeline: this thread consumes messages into batches; a parser parses each batch on every core
    /// (dead-lettering bad lines) and then deduplicates it; a storer makes it durable. So the next batch is read and parsed while the last one
    /// is inserted. Offsets of a batch are committed (by this thread, which owns the consumer) once the storer says the
    /// batch is durable; before partitions are revoked, every batch in flight is finished and committed first, so the
    /// next owner reloads a dedupe filter that already has them.
    /// </summary>
    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var config = _kafka.Security.ApplyTo(new ConsumerConfig
        {
            BootstrapServers = _bootstrapServers(),
            GroupId = _options.ConsumerGroup,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = _options.ConsumerSessionTimeoutMilliseconds,
            FetchWaitMaxMs = 50,
            FetchMaxBytes = 64 << 20,
            MaxPartitionFetchBytes = 8 << 20,
            QueuedMaxMessagesKbytes = 256 << 10,
            StatisticsIntervalMs = 1000,
        });
        var raw = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var parsed = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var done = new ConcurrentQueue<Batch>();
        var inFlight = 0;
        using var stored = new SemaphoreSlim(0);
        var parser = Task.Run(() => ParseBatchesAsync(raw.Reader, parsed.Writer, stoppingToken), CancellationToken.None);
        var storer = Task.Run(() => StoreBatchesAsync(parsed.Reader, done, stored, stoppingToken), CancellationToken.None);

        void CommitDone(IConsumer<byte[]?, ReadOnlyMemory<byte>> consumer)
        {
            var offsets = new Dictionary<TopicPartition, Offset>();
            while (done.TryDequeue(out var batch))
            {
                Interlocked.Decrement(ref inFlight);
                foreach (var (partition, offset) in batch.Offsets)
                {
                    offsets[partition] = offset;
                }
            }

            if (offsets.Count > 0)
            {
                consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.Key, o.Value)));
            }
        }

        void FinishInFlight(IConsumer<byte[]?, ReadOnlyMemory<byte>> consumer)
        {
            while (Volatile.Read(ref inFlight) > 0 && !storer.IsCompleted)
            {
                CommitDone(consumer);
                stored.Wait(TimeSpan.FromMilliseconds(100));
            }

            CommitDone(consumer);
        }

        var values = new ArenaDeserializer();
        using var consumer = new ConsumerBuilder<byte[]?, ReadOnlyMemory<byte>>(config)
            .SetValueDeserializer(values)
            .SetPartitionsAssignedHandler((_, _) => _ingestor.PartitionsAssigned())
            .SetPartitionsRevokedHandler((c, _) => FinishInFlight(c))
            .SetErrorHandler((_, e) => OnKafkaError(e))
            .SetStatisticsHandler((_, json) => OnKafkaStatistics(json))
            .Build();
        consumer.Subscribe(_options.TrafficTopic);
        _status.LoopError = null;
        try
        {
            var linger = TimeSpan.FromMilliseconds(_options.BatchLingerMilliseconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                CommitDone(consumer);
                var batch = new Batch();
                values.Arena = batch.Arena;
                var records = 0;
                var started = _time.GetTimestamp();
                while (records < _options.BatchSize)
                {
                    var left = linger - _time.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero || stoppingToken.IsCancellationRequested || storer.IsCompleted || parser.IsCompleted)
                    {
                        break;
                    }

                    ConsumeResult<byte[]?, ReadOnlyMemory<byte>>? result;
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

                    if (batch.Messages.Count == 0)
                    {
                        _status.KafkaWorking(_time.GetUtcNow());
                    }

                    batch.Offsets[result.TopicPartition] = result.Offset + 1;
                    var lines = Math.Max(1, result.Message.Value.Span.Count((byte)'\n'));
                    batch.Messages.Add(result);
                    batch.Lines.Add(lines);
                    records += lines;
                    _status.AddReceived(lines);
                }

                if (storer.IsCompleted || parser.IsCompleted)
                {
                    await Task.WhenAll(parser, storer).ConfigureAwait(false);
                    throw new InvalidOperationException("The traffic parser or storer stopped.");
                }

                if (batch.Messages.Count == 0)
                {
                    batch.Arena.Release();
                    if (Volatile.Read(ref inFlight) == 0)
                    {
                        await _ingestor.DrainSpoolAsync(stoppingToken).ConfigureAwait(false);
                    }

                    continue;
                }

                Interlocked.Increment(ref inFlight);
                await raw.Writer.WriteAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            raw.Writer.TryComplete();
            try
            {
                await Task.WhenAll(parser, storer).ConfigureAwait(false);
                CommitDone(consumer);
            }
            catch (Exception e) when (e is OperationCanceledException or KafkaException)
            {
                // stopping: what was not committed is consumed again (and deduplicated) by the next owner
            }
            finally
            {
                consumer.Close();
            }
        }
    }

    private async Task ParseBatchesAsync(ChannelReader<Batch> raw, ChannelWriter<Batch> parsed, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in raw.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Parse(batch, cancellationToken);

                // dedupe here, in batch order, so the storer only inserts: this batch is deduplicated while the last is stored
                batch.Fresh = await _ingestor.DeduplicateAsync(batch.Encoded!, cancellationToken).ConfigureAwait(false);
                await parsed.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            parsed.TryComplete();
        }
    }

    /// <summary>
    /// Parses a batch's messages on every core, in slices kept in order, and in the same pass over each line computes
    /// the record's id hash and encodes its RowBinary row (<see cref="IngestLineReader"/>), into an
    /// <see cref="EncodedBatch"/>: the dedupe stage drops rows from it and the storer sends its bytes; bad lines go to
    /// the dead-letter topic.
    /// </summary>
    private void Parse(Batch batch, CancellationToken cancellationToken)
    {
        var messages = batch.Messages;
        var slices = Math.Max(1, Math.Min(messages.Count, Environment.ProcessorCount * 4));
        // each slice reads into its own stretch of two pooled arrays (a message holds at most its newlines + 1
        // records), then the stretches are moved together in order: no per-slice lists on the large object heap
        var starts = new int[slices + 1];
        for (var slice = 0; slice < slices; slice++)
        {
            var (from, to) = SliceOf(messages.Count, slices, slice);
            var room = 0;
            for (var i = from; i < to; i++)
            {
                room += batch.Lines[i] + 1;
            }

            starts[slice + 1] = starts[slice] + room;
        }

        var rowEnds = ArrayPool<int>.Shared.Rent(starts[slices]);
        var idHashes = ArrayPool<ulong>.Shared.Rent(starts[slices]);
        var parts = new (int Count, List<(int Message, TrafficLineError Error)> Errors, PooledBufferWriter Rows)[slices];
        Parallel.For(0, slices, new ParallelOptions { CancellationToken = cancellationToken }, slice =>
        {
            var (from, to) = SliceOf(messages.Count, slices, slice);
            var rows = new PooledBufferWriter((starts[slice + 1] - starts[slice]) * 112);
            var reader = new IngestLineReader(rowEnds, idHashes, starts[slice], starts[slice + 1], rows);
            var errors = new List<(int, TrafficLineError)>();
            var lineErrors = new List<TrafficLineError>();
            for (var i = from; i < to; i++)
            {
                lineErrors.Clear();
                var message = messages[i].Message;
                if (!_provenance.Verify(message.Headers, message.Value.Span, out _, out var unproven))
                {
                    // not from an authenticated producer: the whole message is refused, none of its records stored
                    errors.Add((i, new TrafficLineError(0, 0, message.Value.Length, unproven!)));
                    continue;
                }

                TrafficRecordJson.ReadMessage(message.Value.Span, ref reader, lineErrors);
                foreach (var error in lineErrors)
                {
                    errors.Add((i, error));
                }
            }

            parts[slice] = (reader.Next - starts[slice], errors, rows);
        });

        var count = 0;
        var encoded = new PooledBufferWriter(parts.Sum(p => p.Rows.WrittenCount));
        for (var slice = 0; slice < slices; slice++)
        {
            // moving down within one array (Array.Copy handles the overlap); each slice's row ends were counted from
            // the start of its own rows, so they shift by the bytes of the slices before it
            var (n, errors, rows) = parts[slice];
            var shift = encoded.WrittenCount;
            for (var i = 0; i < n; i++)
            {
                rowEnds[count + i] = rowEnds[starts[slice] + i] + shift;
            }

            Array.Copy(idHashes, starts[slice], idHashes, count, n);
            count += n;
            rows.WrittenSpan.CopyTo(encoded.GetSpan(rows.WrittenCount));
            encoded.Advance(rows.WrittenCount);
            rows.Dispose();
            foreach (var (index, error) in errors)
            {
                var result = messages[index];
                var value = result.Message.Value.Span;
                var reason = error.Describe();
                AnalyticsLog.DeadLettered(_logger, result.Topic, result.Partition.Value, result.Offset.Value, _options.DeadLetterTopic, reason);
                var payload = (error.Line == 0 ? value : value.Slice(error.Start, error.Length)).ToArray();
                batch.DeadLetters.Add(_deadLetters.SendAsync(
                    new DeadLetter(result.Topic, result.Partition.Value, result.Offset.Value, result.Message.Key, payload, reason), cancellationToken));
            }
        }

        batch.Encoded = new EncodedBatch(encoded, rowEnds, idHashes, count);
        _status.AddConsumed(count + batch.DeadLetters.Count);
        messages.Clear();
        batch.Lines.Clear();
        batch.Arena.Release();
    }

    /// <summary>The messages of a slice: an even share, in order.</summary>
    private static (int From, int To) SliceOf(int messages, int slices, int slice) =>
        ((int)((long)messages * slice / slices), (int)((long)messages * (slice + 1) / slices));

    /// <summary>
    /// The storer: up to <see cref="AnalyticsOptions.InsertConcurrency"/> batches insert at once, each handed to the
    /// consumer for its commit once it and every batch before it are durable. While the spool holds batches (ClickHouse
    /// in trouble) one batch at a time, and the spool is retried only with nothing else in flight.
    /// </summary>
    private async Task StoreBatchesAsync(ChannelReader<Batch> batches, ConcurrentQueue<Batch> done, SemaphoreSlim stored, CancellationToken cancellationToken)
    {
        var inserting = new InOrderWindow<Batch>(_options.InsertConcurrency, batch =>
        {
            batch.Encoded!.Dispose();
            (batch.Encoded, batch.Fresh) = (null, null);

            // only now may the consumer commit past it; the consumer drains the spool itself only when nothing is in flight
            done.Enqueue(batch);
            stored.Release();
        });
        await foreach (var batch in batches.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.WhenAll(batch.DeadLetters).ConfigureAwait(false);
            _status.AddDeadLettered(batch.DeadLetters.Count);
            if (_ingestor.HasSpooled)
            {
                await inserting.DrainAsync().ConfigureAwait(false);
            }

            if (inserting.Count == 0)
            {
                await _ingestor.DrainSpoolAsync(cancellationToken).ConfigureAwait(false);
            }

            await inserting.AddAsync(batch, _ingestor.StoreFreshAsync(batch.Fresh!, cancellationToken)).ConfigureAwait(false);
        }

        await inserting.DrainAsync().ConfigureAwait(false);
    }

    /// <summary>A batch on its way: the messages consumed (until parsed), their records, dead letters, and the offsets past it.</summary>
    private sealed class Batch
    {
        public List<ConsumeResult<byte[]?, ReadOnlyMemory<byte>>> Messages { get; } = [];

        /// <summary>The record lines of each message (its newlines), counted while consuming, to size the parser's lists.</summary>
        public List<int> Lines { get; } = [];

        /// <summary>Where the messages' bytes are (released once parsed).</summary>
        public MessageArena Arena { get; } = new();

        /// <summary>The records parsed, as RowBinary rows with their id hashes, in order (released once stored).</summary>
        public EncodedBatch? Encoded { get; set; }

        public Dictionary<TopicPartition, Offset> Offsets { get; } = [];

        public List<Task> DeadLetters { get; } = [];

        /// <summary>What the dedupe stage let through, for the storer.</summary>
        public FreshRows? Fresh { get; set; }
    }
}
