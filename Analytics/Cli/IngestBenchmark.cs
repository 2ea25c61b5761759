using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Unitization.Analytics.Ingest;
using Unitization.Analytics.Storage;
using Unitization.Analytics.Traffic;
using Unitization.Kafka;

namespace Unitization.Analytics.Cli;

/// <summary>
/// <c>unitization bench ingest</c>: publishes N traffic records and times how long the analytics ingest (the role's own
/// consumer loop, dedupe and ClickHouse inserts) takes to store them all, while a bare Kafka consumer that only counts
/// the same number of messages runs as the baseline. Both consume while the producer publishes (the dev broker keeps
/// only a few MB a partition).
/// </summary>
internal static class IngestBenchmark
{
    private const int Window = 4_000;

    public static async Task<int> RunAsync(string? kafkaBootstrap, Uri clickHouse, int records, CancellationToken cancellationToken)
    {
        using var kafka = LocalKafka.Start(kafkaBootstrap);
        var run = Guid.NewGuid().ToString("N")[..8];
        var now = TimeProvider.System.GetUtcNow();
        var payloads = Enumerable.Range(0, records)
            .Select(i => TrafficRecordJson.Serialize(new TrafficRecord(
                $"{run}-{i}", "job-" + (i % 1000), i % 2 == 0 ? "dcA" : "dcB", i % 2 == 0 ? "dcB" : "dcA", 1000 + i % 5000, "read", "router", now.AddSeconds(-(i % 3600)))))
            .ToArray();
        AnsiConsole.MarkupLine($"[grey]Kafka {kafka.Bootstrap}, ClickHouse {clickHouse}, {records:N0} records of ~{payloads[0].Length} bytes[/]");

        var counted = new long[1];
        var baseline = await TimeAsync("bare Kafka consumer (count only)", payloads, kafka.Bootstrap, "bench-raw-" + run,
            async (topic, ct) => await Task.Run(() => CountMessages(kafka.Bootstrap, topic, records, counted, ct), ct).ConfigureAwait(false),
            () => Interlocked.Read(ref counted[0]), cancellationToken).ConfigureAwait(false);

        var database = "bench_ingest_" + run;
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        using var table = new TrafficTable(http, clickHouse, database);
        await table.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var spool = Directory.CreateTempSubdirectory("unitization-bench-spool-");
        try
        {
            var status = new IngestStatus();
            var ingest = await TimeAsync("analytics ingest → ClickHouse", payloads, kafka.Bootstrap, "bench-ingest-" + run,
                (topic, ct) => IngestAsync(kafka.Bootstrap, topic, table, spool.FullName, records, status, ct), () => status.Consumed, cancellationToken).ConfigureAwait(false);
            var stored = await new ClickHouseHttp(http, clickHouse, database).QueryAsync("SELECT count() AS n FROM traffic", cancellationToken).ConfigureAwait(false);
            var grid = new Table().AddColumns("pipeline", "records", "seconds", "records/s", "ratio");
            grid.AddRow("bare Kafka consumer (baseline)", $"{records:N0}", $"{baseline.TotalSeconds:0.00}", $"{records / baseline.TotalSeconds:N0}", "1.00");
            grid.AddRow("analytics ingest → ClickHouse", $"{stored[0].GetProperty("n").GetString()}", $"{ingest.TotalSeconds:0.00}", $"{records / ingest.TotalSeconds:N0}",
                $"{baseline.TotalSeconds / ingest.TotalSeconds:0.00}");
            AnsiConsole.Write(grid);
        }
        finally
        {
            await new ClickHouseHttp(http, clickHouse, null).ExecuteAsync($"DROP DATABASE IF EXISTS {database}", CancellationToken.None).ConfigureAwait(false);
            spool.Delete(recursive: true);
        }

        return 0;
    }

    /// <summary>
    /// Starts the consumer side, publishes every payload, and times until the consumer side is done. The producer stays
    /// at most <see cref="Window"/> messages ahead of the consumer, so the dev broker (a few MB kept a partition) never
    /// drops a message before it is read (the sticky partitioner may put a whole window on one partition).
    /// </summary>
    private static async Task<TimeSpan> TimeAsync(
        string name, byte[][] payloads, string bootstrap, string topic, Func<string, CancellationToken, Task> consume, Func<long> consumed, CancellationToken cancellationToken)
    {
        using (var creator = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            await creator.ProduceAsync(topic, new Message<Null, byte[]> { Value = "{}"u8.ToArray() }, cancellationToken).ConfigureAwait(false);
        }

        var watch = Stopwatch.StartNew();
        var consumer = consume(topic, cancellationToken);
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask(name, maxValue: payloads.Length);
            using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
            {
                BootstrapServers = bootstrap,
                LingerMs = 20,
                BatchSize = 1_000_000,
                QueueBufferingMaxMessages = 1_000_000,
                Acks = Acks.Leader,
            }).Build();
            for (var i = 0; i < payloads.Length; i++)
            {
                if (i % Window == 0)
                {
                    producer.Flush(cancellationToken);
                    while (consumed() < i - Window && !consumer.IsCompleted)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System, cancellationToken).ConfigureAwait(false);
                    }
                }

                while (true)
                {
                    try
                    {
                        producer.Produce(topic, new Message<Null, byte[]> { Value = payloads[i] });
                        break;
                    }
                    catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }

                if (i % 10_000 == 0)
                {
                    task.Value = i;
                }
            }

            producer.Flush(cancellationToken);
            task.Value = payloads.Length;
            await consumer.ConfigureAwait(false);
        }).ConfigureAwait(false);
        return watch.Elapsed;
    }

    private static void CountMessages(string bootstrap, string topic, int expected, long[] counted, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-" + topic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var seen = 0;
        while (seen < expected + 1 && !cancellationToken.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false, Message: not null })
            {
                seen++;
                Interlocked.Exchange(ref counted[0], seen);
            }
        }

        consumer.Close();
    }

    private static async Task IngestAsync(string bootstrap, string topic, TrafficTable table, string spoolFolder, int expected, IngestStatus status, CancellationToken cancellationToken)
    {
        var options = Options.Create(new AnalyticsOptions { TrafficTopic = topic, DeadLetterTopic = topic + "-dlq", ConsumerGroup = "bench-" + topic, BatchLingerMilliseconds = 200 });
        var kafkaOptions = Options.Create(new KafkaOptions { BootstrapServers = bootstrap });
        var ingestor = new TrafficIngestor(table, new TrafficSpool(spoolFolder), new DedupeFilter(TimeSpan.FromHours(48)), status, TimeProvider.System, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var deadLetters = new KafkaDeadLetters(() => bootstrap, topic + "-dlq");
        using var service = new TrafficIngestService(ingestor, deadLetters, status, options, new TrafficKafka(kafkaOptions, new ConfigurationBuilder().Build()), TimeProvider.System, NullLogger<TrafficIngestService>.Instance);
        await service.StartAsync(cancellationToken).ConfigureAwait(false);
        while (status.Stored + status.Duplicates < expected && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
