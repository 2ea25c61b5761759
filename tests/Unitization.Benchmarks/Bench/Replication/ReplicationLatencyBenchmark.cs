using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Unitization.DataManager.Rules;
using Unitization.Kafka;
using Unitization.Namespaces;
using Unitization.Replication.Copy;
using Unitization.Replication.Hosting;
using Unitization.Replication.Versions;
using Unitization.SampleHms;
using Unitization.StateStore;
using Unitization.TestUtils.Replication;
using Unitization.Throttle.Budget;

namespace Unitization.Benchmarks.Bench.Replication;

/// <summary>
/// <c>unitization bench replication-latency</c>: event → replica-fresh latency through the local stack. The sample HMS
/// (Thrift on loopback) gets one ADD_PARTITION per partition at <c>--rate</c>; the replicator role (pump, the dev
/// broker, a worker, staged verified copies, commit records) runs in this process with the shipped defaults. Latency of
/// a partition = its commit record's time in dcB − the time its event was appended in the HMS. Baseline, side by side:
/// the same partitions copied by the replicator's copier directly (no HMS, no Kafka).
/// </summary>
public static class ReplicationLatencyBenchmark
{
    private const string Db = "bench";
    private const string Table = "events";

    public static IEnumerable<Command> Commands()
    {
        var events = new Option<int>("--events") { Description = "Partitions added (one ADD_PARTITION event each).", DefaultValueFactory = _ => 1000 };
        var rate = new Option<double>("--rate") { Description = "Events per second.", DefaultValueFactory = _ => 50 };
        var files = new Option<int>("--files") { Description = "Files per partition.", DefaultValueFactory = _ => 2 };
        var bytes = new Option<int>("--bytes") { Description = "Bytes per file.", DefaultValueFactory = _ => 64_000 };
        var broker = new BrokerOptions();
        var command = new Command("replication-latency", "HMS event -> replica-fresh latency p50/p90/p99 through sample HMS, pump, broker, workers, commit records.")
        {
            events, rate, files, bytes,
        };
        broker.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (await broker.ResolveAsync(parse, ct).ConfigureAwait(false) is not { } kafka)
            {
                return 2;
            }

            var n = parse.GetValue(events);
            var perSecond = parse.GetValue(rate);
            if (n < 1 || perSecond <= 0 || parse.GetValue(files) < 1 || parse.GetValue(bytes) < 1)
            {
                await Console.Error.WriteLineAsync("error: --events, --rate, --files and --bytes must be positive.").ConfigureAwait(false);
                return 2;
            }

            return await RunAsync(kafka.Servers, n, perSecond, parse.GetValue(files), parse.GetValue(bytes), ct).ConfigureAwait(false);
        });
        yield return command;
    }

    private static async Task<int> RunAsync(string kafka, int events, double rate, int files, int bytes, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var scratch = Directory.CreateTempSubdirectory("unitization-bench-latency-");
        var catalog = new SampleCatalog(time);
        var server = new ThriftMetastoreServer(catalog);
        server.Start();
        var topic = "bench-latency-" + Guid.NewGuid().ToString("N")[..8];
        using var host = BuildReplicator(scratch.FullName, kafka, server.Uri, topic);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var namespaces = host.Services.GetRequiredService<INamespaceCatalog>();
            var versions = host.Services.GetRequiredService<IReplicaVersionStore>();
            var workload = new SampleWorkload(catalog, namespaces.Get("dcA"));
            await workload.CreateTableAsync(Db, Table, cancellationToken).ConfigureAwait(false);

            // warm-up: the consumer group's first join (the broker's initial rebalance delay) is not replication latency
            var warmUp = await workload.AddPartitionAsync(Db, Table, "warm-up", files, bytes, cancellationToken).ConfigureAwait(false);
            if (!await WaitForAsync(versions, [warmUp], TimeSpan.FromSeconds(60), time, cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync("error: the warm-up partition was not replicated within 60 s; is the broker at " + kafka + " up?").ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench replication-latency: {events} ADD_PARTITION events at {rate:F0}/s, {files} x {bytes} bytes each, topic {topic}"));
            var appended = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var interval = TimeSpan.FromSeconds(1 / rate);
            var start = time.GetTimestamp();
            for (var i = 0; i < events; i++)
            {
                var due = interval * i - time.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, cancellationToken).ConfigureAwait(false);
                }

                var path = await workload.AddPartitionAsync(Db, Table, $"p{i:D6}", files, bytes, cancellationToken).ConfigureAwait(false);
                appended[path] = time.GetUtcNow();
                if ((i + 1) % 250 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}/{events} events appended"));
                }
            }

            if (!await WaitForAsync(versions, appended.Keys, TimeSpan.FromSeconds(120), time, cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync("error: not every partition was replicated within 120 s of the last event.").ConfigureAwait(false);
                return 1;
            }

            var latencies = new List<double>(events);
            foreach (var (path, at) in appended)
            {
                var version = await versions.GetAsync("dcB", path, cancellationToken).ConfigureAwait(false);
                latencies.Add((version!.CommittedAt - at).TotalMilliseconds);
            }

            var direct = await DirectCopiesAsync(namespaces, appended.Keys.Take(Math.Min(events, 200)).ToList(), cancellationToken).ConfigureAwait(false);
            Print("event -> replica fresh (HMS, pump, Kafka, worker)", latencies);
            Print("baseline: direct copy of one partition", direct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  p99 {Percentile(latencies, 0.99) / 1000:F2} s (goal <= 5 s); pipeline p50 / direct copy p50 = {Percentile(latencies, 0.5) / Percentile(direct, 0.5):F1}"));
            return 0;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            scratch.Delete(recursive: true);
        }
    }

    private static IHost BuildReplicator(string data, string kafka, string metastoreUri, string topic)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataFolder"] = data,
            ["Datacenters:0:Id"] = "dcA",
            ["Datacenters:0:Root"] = "dcA",
            ["Datacenters:1:Id"] = "dcB",
            ["Datacenters:1:Root"] = "dcB",
            ["Kafka:BootstrapServers"] = kafka,
            ["Replication:MetastoreUri"] = metastoreUri,
            ["Replication:EventsTopic"] = topic,
            ["Replication:DeadLetterTopic"] = topic + "-dlq",
            ["Replication:ConsumerGroup"] = topic,
            ["Throttle:Links:0:From"] = "dcA",
            ["Throttle:Links:0:To"] = "dcB",
            ["Throttle:Links:0:BytesPerSecond"] = "10000000000",
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IReplicationRuleSource>(new FixedRuleSource(new ReplicationRule("hive://metastore", $"{Db}.{Table}", "dcA", ["dcB"], 1, 0)));
        builder.Services.AddOptions<KafkaOptions>().Bind(builder.Configuration.GetSection(KafkaOptions.SectionName));
        builder.Services.AddStateStore(builder.Configuration, data);
        builder.Services.AddReplication(builder.Configuration);
        return builder.Build();
    }

    private static async Task<bool> WaitForAsync(IReplicaVersionStore versions, IEnumerable<string> paths, TimeSpan deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        var pending = new HashSet<string>(paths, StringComparer.Ordinal);
        var start = time.GetTimestamp();
        while (pending.Count > 0)
        {
            var present = await versions.ListAsync("dcB", "/warehouse", cancellationToken).ConfigureAwait(false);
            pending.ExceptWith(present.Select(v => v.Path));
            if (pending.Count == 0 || time.GetElapsedTime(start) > deadline)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }

        return pending.Count == 0;
    }

    /// <summary>Copies the partitions to dcB again with the copier alone (a full copy each, replacing the replica); the time of each.</summary>
    private static async Task<List<double>> DirectCopiesAsync(INamespaceCatalog namespaces, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        // a store of its own: none of these paths has a commit record in it, so every copy is a full copy
        var copier = new ReplicaCopier(new InMemoryReplicaVersionStore(), null, null, TimeProvider.System, NullLogger<ReplicaCopier>.Instance);
        var result = new List<double>(paths.Count);
        foreach (var path in paths)
        {
            var watch = Stopwatch.StartNew();
            await copier.ReplicateAsync(
                new CopyRequest(namespaces.Get("dcA"), namespaces.Get("dcB"), path, "bench", TrafficPriority.Normal, "/.unitization/staging/bench-direct"),
                4,
                cancellationToken).ConfigureAwait(false);
            result.Add(watch.Elapsed.TotalMilliseconds);
        }

        return result;
    }

    private static void Print(string what, List<double> milliseconds) => Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"  {what,-52} n={milliseconds.Count,5}  p50 {Percentile(milliseconds, 0.5),8:F1} ms  p90 {Percentile(milliseconds, 0.9),8:F1} ms  p99 {Percentile(milliseconds, 0.99),8:F1} ms  max {milliseconds.Max(),8:F1} ms"));

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
