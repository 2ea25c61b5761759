using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Unitization.Analytics;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;
using Unitization.DevBroker.Mock;
using Unitization.Kafka;

namespace Unitization.Benchmarks.Bench.Analytics;

/// <summary>
/// <c>unitization bench ingest</c>: publishes N traffic records as a backlog on a topic (JSON lines, R records a message,
/// lz4 as producers send them), then times, side by side on the same records, two baselines and the ingest: a bare
/// Kafka consumer that only reads the messages; ClickHouse alone taking the same rows, encoded beforehand, in the
/// ingest's batch size; and the analytics ingest (the role's own consumer, parser, dedupe and ClickHouse inserts)
/// until every record is stored. Consumer clocks start at the first message received, so the group join is not counted.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(
        string? kafkaBootstrap, Uri clickHouse, int records, int perMessage, int partitions, int batchSize, int insertConcurrency, int warmup, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(insertConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(perMessage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        using var cluster = kafkaBootstrap is { Length: > 0 } ? null : new MockCluster(3);
        var bootstrap = cluster?.Bootstrap ?? kafkaBootstrap!;
        var run = Guid.NewGuid().ToString("N")[..8];
        var topic = "bench-traffic-" + run;
        await CreateTopicAsync(cluster, bootstrap, topic, partitions).ConfigureAwait(false);
        var messages = Messages(run, records, perMessage);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]Kafka {(cluster is null ? bootstrap : "mock cluster in this process, " + bootstrap)}; topic {topic} ({partitions} partitions); ClickHouse {clickHouse}[/]"));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]{records:N0} records in {messages.Length:N0} messages of {perMessage} (≈{messages.Sum(m => (long)m.Length) / records} bytes a record)[/]"));
        await PublishAsync(bootstrap, topic, partitions, messages, cancellationToken).ConfigureAwait(false);

        var baseline = await ReadAllAsync(bootstrap, topic, messages.Length, cancellationToken).ConfigureAwait(false);

        var database = "bench_ingest_" + run;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var table = new TrafficTable(http, clickHouse, database);
        await table.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using var bare = new TrafficTable(http, clickHouse, database + "_bare");
        var spool = Directory.CreateTempSubdirectory("unitization-bench-spool-");
        // one filter for every run, as a service keeps one for its life: each run's start reloads it (a new consumer
        // group is assigned its partitions), which clears it and leaves its slot arrays for the hours that come next
        using var filter = new DedupeFilter(TimeSpan.FromHours(48));
        try
        {
            await WaitForIdleMergesAsync(table.Http, cancellationToken).ConfigureAwait(false);
            var insertOnly = await InsertOnlyAsync(bare, messages, batchSize, insertConcurrency, cancellationToken).ConfigureAwait(false);

            // its parts would be merged in the background while the ingest runs, taking CPU from both sides of it
            await table.Http.DropDatabaseAsync(bare.Database, cancellationToken).ConfigureAwait(false);
            if (warmup > 0)
            {
                await WarmUpAsync(cluster, bootstrap, topic, http, clickHouse, database, run, warmup, records, perMessage, partitions, batchSize, insertConcurrency, filter, spool.FullName, cancellationToken).ConfigureAwait(false);
            }

            await WaitForIdleMergesAsync(table.Http, cancellationToken).ConfigureAwait(false);

            var status = new IngestStatus();
            var timed = await IngestAsync(bootstrap, topic, string.Empty, table, filter, spool.FullName, records, batchSize, insertConcurrency, status, cancellationToken).ConfigureAwait(false);
            var ingest = timed.Elapsed;
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[grey]{records:N0} records in {ingest.TotalSeconds:0.00} s, {timed.Cpu.TotalSeconds:0.00} s of this process's CPU (the in-process mock broker's included); the JIT compiled {timed.JitMethods:N0} methods in that time ({timed.JitTime.TotalMilliseconds:N0} ms, this bench's display included); {timed.Collections} garbage collections ({timed.Gen2Collections} of generation 2), {timed.GcPause.TotalMilliseconds:N0} ms paused[/]"));
            var stored = await table.Http.QueryUInt64sAsync("SELECT count() FROM traffic", cancellationToken).ConfigureAwait(false);
            var grid = new Table().AddColumns("pipeline", "records", "seconds", "records/s", "ingest's ratio to it");
            grid.AddRow("bare Kafka consumer, reads only (baseline)", $"{records:N0}", $"{baseline.TotalSeconds:0.00}", $"{records / baseline.TotalSeconds:N0}",
                $"{baseline.TotalSeconds / ingest.TotalSeconds:0.00}");
            grid.AddRow($"ClickHouse alone: the same rows, RowBinary encoded beforehand, {insertConcurrency} insert(s) at once (baseline)", $"{records:N0}", $"{insertOnly.TotalSeconds:0.00}",
                $"{records / insertOnly.TotalSeconds:N0}", $"{insertOnly.TotalSeconds / ingest.TotalSeconds:0.00}");
            grid.AddRow("analytics ingest: Kafka → parse → dedupe → ClickHouse", $"{stored[0]:N0} stored", $"{ingest.TotalSeconds:0.00}", $"{records / ingest.TotalSeconds:N0}", "1.00");
            AnsiConsole.Write(grid);
            if ((long)stored[0] != records)
            {
                AnsiConsole.MarkupLine($"[red]ClickHouse holds {stored[0]:N0} rows, not {records:N0}[/]");
                return 1;
            }
        }
        finally
        {
            await new ClickHouseHttp(http, clickHouse, null).DropDatabaseAsync(database, CancellationToken.None).ConfigureAwait(false);
            await new ClickHouseHttp(http, clickHouse, null).DropDatabaseAsync(database + "_bare", CancellationToken.None).ConfigureAwait(false);
            spool.Delete(recursive: true);
        }

        return 0;
    }

    /// <summary>Waits (up to 30 s) until ClickHouse merges no parts, so each timed phase starts on an idle server.</summary>
    private static async Task WaitForIdleMergesAsync(ClickHouseHttp clickHouse, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30)
            && (await clickHouse.QueryUInt64sAsync("SELECT count() FROM system.merges", cancellationToken).ConfigureAwait(false))[0] > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    private static byte[][] Messages(string run, int records, int perMessage)
    {
        var now = TimeProvider.System.GetUtcNow();
        var messages = new byte[(records + perMessage - 1) / perMessage][];
        var buffer = new ArrayBufferWriter<byte>(perMessage * 256);
        for (var m = 0; m < messages.Length; m++)
        {
            buffer.ResetWrittenCount();
            TrafficRecordJson.WriteLines(buffer, Enumerable.Range(m * perMessage, Math.Min(records, (m + 1) * perMessage) - (m * perMessage)).Select(i => new TrafficRecord(
                $"{run}-{i}", "job-" + (i % 1000), i % 2 == 0 ? "dcA" : "dcB", i % 2 == 0 ? "dcB" : "dcA", 1000 + (i % 5000), "read", "router", now.AddSeconds(-(i % 3600)))));
            messages[m] = buffer.WrittenSpan.ToArray();
        }

        return messages;
    }

    private static async Task CreateTopicAsync(MockCluster? cluster, string bootstrap, string topic, int partitions)
    {
        if (cluster is not null)
        {
            cluster.CreateTopic(topic, partitions);
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = -1 }]).ConfigureAwait(false);
    }

    /// <summary>Publishes round robin over the partitions, then checks the broker kept every message (the mock keeps ~5 MB a partition).</summary>
    private static async Task PublishAsync(string bootstrap, string topic, int partitions, byte[][] messages, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            LingerMs = 5,
            BatchSize = 1_000_000,
            CompressionType = CompressionType.Lz4,
            Acks = Acks.All,
        }).Build();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("publishing the backlog", maxValue: messages.Length);
            var pending = new List<Task>(1024);
            for (var i = 0; i < messages.Length; i++)
            {
                pending.Add(producer.ProduceAsync(new TopicPartition(topic, i % partitions), new Message<Null, byte[]> { Value = messages[i], Headers = BenchProvenance.Sign(messages[i]) }, cancellationToken));
                if (pending.Count == pending.Capacity)
                {
                    await Task.WhenAll(pending).ConfigureAwait(false);
                    pending.Clear();
                    task.Value = i + 1;
                }
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
            task.Value = messages.Length;
        }).ConfigureAwait(false);

        using var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-probe-" + topic }).Build();
        long kept = 0;
        for (var p = 0; p < partitions; p++)
        {
            var marks = probe.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10));
            kept += marks.High.Value - marks.Low.Value;
        }

        if (kept != messages.Length)
        {
            throw new InvalidOperationException(
                $"The broker kept {kept:N0} of {messages.Length:N0} messages (librdkafka's mock keeps about 5 MB a partition): raise --partitions or lower --records.");
        }
    }

    private static Task<TimeSpan> ReadAllAsync(string bootstrap, string topic, int expected, CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-raw-" + topic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchMaxBytes = 64 << 20,
            MaxPartitionFetchBytes = 8 << 20,
            QueuedMaxMessagesKbytes = 256 << 10,
        }).Build();
        consumer.Subscribe(topic);
        Stopwatch? watch = null;
        var seen = 0;
        long bytes = 0;
        AnsiConsole.Progress().Start(progress =>
        {
            var task = progress.AddTask("bare Kafka consumer (baseline)", maxValue: expected);
            while (seen < expected && !cancellationToken.IsCancellationRequested)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false, Message: { } message })
                {
                    watch ??= Stopwatch.StartNew();
                    seen++;
                    bytes += message.Value.Length;
                    if (seen % 1000 == 0)
                    {
                        task.Value = seen;
                    }
                }
            }

            task.Value = seen;
        });
        consumer.Close();
        return watch?.Elapsed ?? TimeSpan.Zero;
    }, cancellationToken);

    /// <summary>
    /// ClickHouse's own share: the same records, parsed and RowBinary-encoded before the clock starts, inserted in
    /// batches of the ingest's size into the same schema (rollups included), one insert after the other.
    /// </summary>
    private static async Task<TimeSpan> InsertOnlyAsync(TrafficTable table, byte[][] messages, int batchSize, int insertConcurrency, CancellationToken cancellationToken)
    {
        await table.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var batches = new List<(ReadOnlyMemory<byte> Rows, int Count)>();
        var records = new List<TrafficRecord>(batchSize);
        var errors = new List<TrafficLineError>();
        var prepare = Stopwatch.StartNew();
        void Flush()
        {
            var buffer = new ArrayBufferWriter<byte>(records.Count * 128);
            TrafficRowBinary.Write(buffer, records);
            batches.Add((buffer.WrittenMemory, records.Count));
            records.Clear();
        }

        foreach (var message in messages)
        {
            TrafficRecordJson.ReadMessage(message, records, errors);
            if (records.Count >= batchSize)
            {
                Flush();
            }
        }

        if (records.Count > 0)
        {
            Flush();
        }

        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[grey]parsing and encoding the {messages.Length:N0} messages in memory, one thread: {prepare.Elapsed.TotalSeconds:0.00} s[/]"));
        var watch = Stopwatch.StartNew();
        // as many inserts at once as the ingest runs
        await Parallel.ForEachAsync(
            batches, new ParallelOptions { MaxDegreeOfParallelism = insertConcurrency, CancellationToken = cancellationToken },
            async (batch, ct) => await table.InsertAsync(batch.Rows, batch.Count, ct).ConfigureAwait(false)).ConfigureAwait(false);

        return watch.Elapsed;
    }

    /// <summary>
    /// The same ingest, untimed, on records of its own (another topic, a database per pass): a service that runs for days
    /// has its methods compiled at their final tier and its buffers pooled, which the first seconds of a process do not.
    /// The runtime promotes a method after 30 calls, counted only once it has compiled nothing new for a moment: the
    /// passes run in batches a twentieth of the timed run's, so the per-batch code is called often enough to reach its
    /// final tier (at full size a pass is two batches), and repeat (a new consumer group each) until the JIT compiles
    /// fewer than <see cref="QuietJitMethods"/> methods during one; the last pass (at most the
    /// <see cref="MaxWarmUpPasses"/>th) runs at the timed run's batch size and record count, so the dedupe filter
    /// holds slot arrays of the size the timed run's hours reach, as a service's filter holds those of the hours it let
    /// go (<see cref="SlotArrays"/>).
    /// </summary>
    private static async Task WarmUpAsync(
        MockCluster? cluster, string bootstrap, string topic, HttpClient http, Uri clickHouse, string database, string run, int records, int timedRecords, int perMessage,
        int partitions, int batchSize, int insertConcurrency, DedupeFilter filter, string spoolFolder, CancellationToken cancellationToken)
    {
        var warmTopic = topic + "-warmup";
        await CreateTopicAsync(cluster, bootstrap, warmTopic, partitions).ConfigureAwait(false);
        var lastPassRecords = Math.Max(records, timedRecords);
        await PublishAsync(bootstrap, warmTopic, partitions, Messages(run + "w", lastPassRecords, perMessage), cancellationToken).ConfigureAwait(false);
        // small batches until the JIT is quiet, then one pass at the timed run's batch size: its buffers are what the
        // pools must hold (a buffer the timed run rents for the first time is a fresh large-object allocation, and those
        // start background generation-2 collections)
        var (pass, small) = (0, true);
        while (true)
        {
            pass++;
            var passBatch = small ? Math.Max(1_000, batchSize / 20) : batchSize;
            var passRecords = small ? records : lastPassRecords;
            var warm = await WarmUpPassAsync(bootstrap, warmTopic, http, clickHouse, database, pass, passRecords, passBatch, insertConcurrency, filter, spoolFolder, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[grey]warm-up pass {pass} (untimed, not in the figures), batches of {passBatch:N0}: {passRecords:N0} records through the same ingest in {warm.Elapsed.TotalSeconds:0.00} s; the JIT compiled {warm.JitMethods:N0} methods meanwhile[/]"));
            if (!small)
            {
                return;
            }

            small = warm.JitMethods >= QuietJitMethods && pass + 1 < MaxWarmUpPasses;
        }
    }

    private static async Task<IngestRun> WarmUpPassAsync(
        string bootstrap, string warmTopic, HttpClient http, Uri clickHouse, string database, int pass, int records, int batchSize, int insertConcurrency, DedupeFilter filter, string spoolFolder,
        CancellationToken cancellationToken)
    {
        var suffix = "_warmup" + pass.ToString(CultureInfo.InvariantCulture);
        using var table = new TrafficTable(http, clickHouse, database + suffix);
        try
        {
            await table.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            return await IngestAsync(bootstrap, warmTopic, suffix, table, filter, Path.Combine(spoolFolder, suffix), records, batchSize, insertConcurrency, new IngestStatus(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await new ClickHouseHttp(http, clickHouse, null).DropDatabaseAsync(table.Database, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private const int MaxWarmUpPasses = 6;

    /// <summary>The bench's producer and key: its messages are signed as the service's are, so the ingest verifies each as in production.</summary>
    private static readonly TrafficProvenance BenchProvenance = new("bench", new Dictionary<string, byte[]> { ["bench"] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) });

    private const int QuietJitMethods = 100;

    /// <summary>One ingest run, from its first record received to its last stored: the time, and this process's CPU, JIT work and garbage collections meanwhile.</summary>
    private readonly record struct IngestRun(TimeSpan Elapsed, TimeSpan Cpu, long JitMethods, TimeSpan JitTime, TimeSpan GcPause, int Collections, int Gen2Collections);

    private static async Task<IngestRun> IngestAsync(
        string bootstrap, string topic, string groupSuffix, TrafficTable table, DedupeFilter filter, string spoolFolder, int expected, int batchSize, int insertConcurrency, IngestStatus status,
        CancellationToken cancellationToken)
    {
        var options = Options.Create(new AnalyticsOptions { TrafficTopic = topic, DeadLetterTopic = topic + "-dlq", ConsumerGroup = "bench-ingest-" + topic + groupSuffix, BatchLingerMilliseconds = 200, BatchSize = batchSize, InsertConcurrency = insertConcurrency });
        var kafkaOptions = Options.Create(new KafkaOptions { BootstrapServers = bootstrap });
        var ingestor = new TrafficIngestor(table, new TrafficSpool(spoolFolder), filter, status, TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var deadLetters = new KafkaDeadLetters(() => bootstrap, topic + "-dlq");
        using var service = new TrafficIngestService(ingestor, deadLetters, status, options, new TrafficKafka(kafkaOptions, new ConfigurationBuilder().Build()), TimeProvider.System, BenchProvenance, NullLogger<TrafficIngestService>.Instance);
        Stopwatch? watch = null;
        var (jitMethods, jitTime, cpu, gcPause, gen0, gen2) = (0L, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0, 0);
        await service.StartAsync(cancellationToken).ConfigureAwait(false);
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("analytics ingest → ClickHouse", maxValue: expected);
            while (status.Stored + status.Duplicates < expected && !cancellationToken.IsCancellationRequested)
            {
                if (watch is null && status.Received > 0)
                {
                    watch = Stopwatch.StartNew();
                    (jitMethods, jitTime, cpu) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), Environment.CpuUsage.TotalTime);
                    (gcPause, gen0, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
                }

                task.Value = status.Stored + status.Duplicates;
                await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }

            task.Value = expected;
        }).ConfigureAwait(false);
        var run = new IngestRun(
            watch?.Elapsed ?? TimeSpan.Zero, Environment.CpuUsage.TotalTime - cpu, JitInfo.GetCompiledMethodCount() - jitMethods, JitInfo.GetCompilationTime() - jitTime,
            GC.GetTotalPauseDuration() - gcPause, GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2);
        await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return run;
    }
}
