using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Unitization.DataManager.Rules;
using Unitization.Replication.Versions;
using Unitization.SampleHms;
using Unitization.StateStore;
using Unitization.TestUtils.Security;

namespace Unitization.Benchmarks.Bench.Fleet;

/// <summary>
/// <c>unitization bench fleet-replicators</c>: replication throughput with 1 and with 2 replicator processes
/// (<c>unitization serve --roles replicator</c>, one consumer group) on a 16-partition events topic of many small
/// tables. Both datacenters are <c>Kind: hdfs</c> namespaces (NameNode stand-ins, <see cref="NameNodeStandIn"/>), so
/// every process writes; the HMS is the sample HMS; every connection to them crosses a <see cref="LatencyProxy"/>, so a
/// worker waits on per-event round trips as it does across datacenters. Throughput is taken over the middle 80 % of
/// the commit records (the consumer group's join and the last partitions' tail left out). <c>--link-rate</c> sets the
/// dcA→dcB budget (the first process also runs the throttle role; the others lease from it), to show where it binds.
/// </summary>
internal static class FleetReplicatorBenchmark
{
    public static Command Create()
    {
        var tables = new Option<int>("--tables") { Description = "Tables (one rule each; events keyed by table spread over the topic's partitions).", DefaultValueFactory = _ => 48 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions added per table (one ADD_PARTITION event each).", DefaultValueFactory = _ => 4 };
        var bytes = new Option<int>("--bytes") { Description = "Bytes of each partition's one file.", DefaultValueFactory = _ => 16_384 };
        var roundTrip = new Option<int>("--round-trip-ms") { Description = "Round trip added to every connection to the HMS and the NameNodes.", DefaultValueFactory = _ => 20 };
        var linkRate = new Option<long>("--link-rate") { Description = "dcA->dcB link budget in bytes/s.", DefaultValueFactory = _ => 10_000_000_000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (1 process, then 2); medians are reported.", DefaultValueFactory = _ => 1 };
        var broker = new BrokerOptions();
        var command = new Command("fleet-replicators", "Replication throughput with 1 and with 2 replicator processes on a 16-partition topic of many small tables.")
        {
            tables, partitions, bytes, roundTrip, linkRate, rounds,
        };
        broker.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (await broker.ResolveAsync(parse, ct).ConfigureAwait(false) is not { } kafka)
            {
                return 2;
            }

            var shape = new Shape(parse.GetValue(tables), parse.GetValue(partitions), parse.GetValue(bytes), TimeSpan.FromMilliseconds(parse.GetValue(roundTrip)), parse.GetValue(linkRate));
            if (shape.Tables < 1 || shape.Partitions < 1 || shape.Bytes < 1 || shape.RoundTrip < TimeSpan.Zero || shape.LinkRate < 1024 || parse.GetValue(rounds) < 1)
            {
                await Console.Error.WriteLineAsync("error: --tables, --partitions, --bytes and --rounds must be positive, --round-trip-ms not negative, --link-rate at least 1024.").ConfigureAwait(false);
                return 2;
            }

            return await RunAsync(kafka, shape, parse.GetValue(rounds), ct).ConfigureAwait(false);
        });
        return command;
    }

    private const int TopicPartitions = 16;

    private sealed record Shape(int Tables, int Partitions, int Bytes, TimeSpan RoundTrip, long LinkRate)
    {
        public int Events => Tables * Partitions;
    }

    private readonly record struct Throughput(double EventsPerSecond, double Seconds)
    {
        public double BytesPerSecond(Shape shape) => EventsPerSecond * shape.Bytes;
    }

    private static async Task<int> RunAsync(BenchBroker kafka, Shape shape, int rounds, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var root = UnitizationProcesses.RepositoryRoot("fleet-replicators");
        await UnitizationProcesses.EnsureBuiltAsync(root, cancellationToken).ConfigureAwait(false);
        var scratch = Directory.CreateTempSubdirectory("unitization-fleet-replicators-");
        var catalog = new SampleCatalog(TimeProvider.System);
        var hms = new ThriftMetastoreServer(catalog);
        hms.Start();
        try
        {
            Console.WriteLine("bench fleet-replicators: starting the NameNode stand-ins of dcA and dcB...");
            await using var nnA = await NameNodeStandIn.StartAsync(root, Path.Join(scratch.FullName, "nn-dcA"), cancellationToken).ConfigureAwait(false);
            await using var nnB = await NameNodeStandIn.StartAsync(root, Path.Join(scratch.FullName, "nn-dcB"), cancellationToken).ConfigureAwait(false);
            await using var hmsProxy = new LatencyProxy(LatencyProxy.EndPointOf(new Uri("tcp://127.0.0.1:" + hms.Port)), shape.RoundTrip);
            await using var aProxy = new LatencyProxy(LatencyProxy.EndPointOf(new Uri(nnA.Url)), shape.RoundTrip);
            await using var bProxy = new LatencyProxy(LatencyProxy.EndPointOf(new Uri(nnB.Url)), shape.RoundTrip);
            await using var rules = await RulesServer.StartAsync(cancellationToken).ConfigureAwait(false);
            var site = new Site(root, kafka, $"thrift://127.0.0.1:{hmsProxy.Port}", (nnA, $"http://127.0.0.1:{aProxy.Port}"), (nnB, $"http://127.0.0.1:{bProxy.Port}"), catalog, rules);
            Console.WriteLine(string.Create(inv, $"bench fleet-replicators: {shape.Tables} tables x {shape.Partitions} partitions = {shape.Events} events of {shape.Bytes:N0} bytes on a {TopicPartitions}-partition topic; +{shape.RoundTrip.TotalMilliseconds:F0} ms round trip to the HMS and each NameNode; link dcA->dcB {shape.LinkRate / 1e6:0.###} MB/s; load average {UnitizationProcesses.LoadAverage()}"));
            Console.WriteLine("| round | replicator processes | events | seconds (middle 80 %) | events/s | MB/s | ratio 2/1 |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            var results = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
            var ratios = new List<double>();
            var run = 0;
            for (var round = 1; round <= rounds; round++)
            {
                double? one = null;
                foreach (var processes in new[] { 1, 2 })
                {
                    var result = await MeasureAsync(site, shape, processes, Path.Join(scratch.FullName, $"run{++run}"), $"fleet{run}", cancellationToken).ConfigureAwait(false);
                    if (result is null)
                    {
                        return 1;
                    }

                    var t = result.Value;
                    results[processes].Add(t.EventsPerSecond);
                    var ratio = one is null ? "" : (t.EventsPerSecond / one.Value).ToString("F2", inv);
                    if (one is not null)
                    {
                        ratios.Add(t.EventsPerSecond / one.Value);
                    }

                    one ??= t.EventsPerSecond;
                    Console.WriteLine(string.Create(inv, $"| {round} | {processes} | {shape.Events} | {t.Seconds:F1} | {t.EventsPerSecond:F1} | {t.BytesPerSecond(shape) / 1e6:F2} | {ratio} |"));
                }
            }

            Console.WriteLine(string.Create(inv, $"median events/s: 1 process {Median(results[1]):F1}, 2 processes {Median(results[2]):F1}; median ratio 2/1 {Median(ratios):F2} (goal >= 1.7 until the link budget binds: {shape.LinkRate / (double)shape.Bytes:F0} events/s here); load average {UnitizationProcesses.LoadAverage()}"));
            return 0;
        }
        finally
        {
            await hms.DisposeAsync().ConfigureAwait(false);
            scratch.Delete(recursive: true);
        }
    }

    private sealed record Site(string Root, BenchBroker Kafka, string MetastoreUri, (NameNodeStandIn StandIn, string Url) DcA, (NameNodeStandIn StandIn, string Url) DcB, SampleCatalog Catalog, RulesServer Rules);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<Throughput?> MeasureAsync(Site site, Shape shape, int processes, string data, string db, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(data);
        var topic = $"bench-{db}-{Guid.NewGuid().ToString("N")[..6]}";
        await CreateTopicsAsync(site.Kafka, topic, cancellationToken).ConfigureAwait(false);
        var tableNames = Enumerable.Range(0, shape.Tables).Select(i => $"t{i:D3}").ToList();
        site.Rules.Rules = [.. tableNames.Select(t => new ReplicationRule("hive://metastore", $"{db}.{t}", "dcA", ["dcB"], 1, (long)shape.Bytes * shape.Partitions))];
        await WriteWorkloadAsync(site, shape, db, tableNames, cancellationToken).ConfigureAwait(false);
        var config = Path.Join(data, "replicator.json");
        await File.WriteAllTextAsync(config, ReplicatorConfig(site, shape, data, topic), cancellationToken).ConfigureAwait(false);

        // the processes call each other (the second leases the link from the first's throttle) as the service role
        var serviceToken = "unz_bench-service-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var security = new Dictionary<string, string> { ["UNITIZATION_Security__Client__Token"] = serviceToken };
        foreach (var (key, value) in TestCredentials.TokenOverrides(0, "bench-service", serviceToken, "service"))
        {
            security["UNITIZATION_" + key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        var started = new List<Process>();
        try
        {
            string? throttleUrl = null;
            for (var i = 0; i < processes; i++)
            {
                // one after the other: the first applies the state store's migrations and runs the pump and the throttle
                var url = $"http://127.0.0.1:{UnitizationProcesses.FreePort()}";
                var environment = new Dictionary<string, string>
                {
                    ["UNITIZATION_Replication__WorkerId"] = $"worker-{i}",
                    ["UNITIZATION_Replication__RunPump"] = i == 0 ? "true" : "false",
                    ["UNITIZATION_Throttle__ServiceUrl"] = throttleUrl ?? "",
                };
                foreach (var (key, value) in security)
                {
                    environment[key] = value;
                }

                var process = UnitizationProcesses.Start(
                    site.Root,
                    ["serve", "--roles", i == 0 ? "replicator,throttle" : "replicator", "--config", config, "--data", data, "--urls", url, "--kafka", site.Kafka.Servers],
                    environment);
                started.Add(process);
                await UnitizationProcesses.WaitHealthyAsync(url, process, TimeSpan.FromSeconds(180), cancellationToken).ConfigureAwait(false);
                throttleUrl ??= url;
            }

            return await WaitForCommitsAsync(data, shape.Events, processes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var process in started)
            {
                await UnitizationProcesses.StopAsync(process).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The tables (in dcA, registered in the HMS) and one file per partition, each partition added to the HMS after its file.</summary>
    private static async Task WriteWorkloadAsync(Site site, Shape shape, string db, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        using var http = site.DcA.StandIn.Client();
        var content = new byte[shape.Bytes];
        Random.Shared.NextBytes(content);
        foreach (var table in tables)
        {
            await site.Catalog.CreateTableAsync(db, table, $"hdfs://dcA{SampleWorkload.TablePath(db, table)}", ["dt"], cancellationToken).ConfigureAwait(false);
        }

        for (var p = 0; p < shape.Partitions; p++)
        {
            var dt = $"2026-01-{p + 1:D2}";
            foreach (var table in tables)
            {
                await NameNodeStandIn.CreateFileAsync(http, $"{SampleWorkload.PartitionPath(db, table, dt)}/part-00000", content, cancellationToken).ConfigureAwait(false);
                await site.Catalog.AddPartitionAsync(db, table, [dt], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string ReplicatorConfig(Site site, Shape shape, string data, string topic)
    {
        JsonObject Datacenter(string id, (NameNodeStandIn StandIn, string Url) nameNode)
        {
            var edits = Path.Join(data, "edits-" + id);
            Directory.CreateDirectory(edits);
            return new JsonObject
            {
                ["Id"] = id,
                ["Kind"] = "hdfs",
                ["NameNodes"] = new JsonArray(nameNode.Url),
                ["Auth"] = new JsonObject { ["Method"] = "simple", ["User"] = "unitization", ["GatewayBearerToken"] = nameNode.StandIn.Token },
                ["Journal"] = new JsonObject { ["SharedEditsDirectory"] = edits },
            };
        }

        var config = new JsonObject
        {
            ["DataFolder"] = data,
            ["Datacenters"] = new JsonArray(Datacenter("dcA", site.DcA), Datacenter("dcB", site.DcB)),
            ["StateStore"] = new JsonObject { ["Provider"] = "sqlite", ["Path"] = "state.db" },
            ["Throttle"] = new JsonObject
            {
                ["Links"] = new JsonArray(new JsonObject { ["From"] = "dcA", ["To"] = "dcB", ["BytesPerSecond"] = shape.LinkRate }),
            },
            ["Replication"] = new JsonObject
            {
                ["MetastoreUri"] = site.MetastoreUri,
                ["EventsTopic"] = topic,
                ["DeadLetterTopic"] = topic + "-dlq",
                ["ConsumerGroup"] = topic,
                ["RulesUrl"] = site.Rules.Url.ToString(),
            },
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static async Task CreateTopicsAsync(BenchBroker kafka, string topic, CancellationToken cancellationToken)
    {
        if (kafka.ControlUrl is { } control)
        {
            using var http = new HttpClient();
            foreach (var (name, partitions) in new[] { (topic, TopicPartitions), (topic + "-dlq", 1) })
            {
                using var response = await http.PostAsync(new Uri($"{control}/topics/{name}?partitions={partitions}"), null, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }

            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.Servers }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = topic, NumPartitions = TopicPartitions, ReplicationFactor = 1 },
            new TopicSpecification { Name = topic + "-dlq", NumPartitions = 1, ReplicationFactor = 1 },
        ]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for every commit record in dcB (progress every 2 s); the rate over the middle 80 % of them, or null (said) on a timeout.</summary>
    private static async Task<Throughput?> WaitForCommitsAsync(string data, int events, int processes, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["StateStore:Provider"] = "sqlite",
            ["StateStore:Path"] = "state.db",
        }).Build();
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddLogging();
        services.AddStateStore(configuration, data).AddReplicaVersionStore();
        await using var provider = services.BuildServiceProvider();
        var versions = provider.GetRequiredService<IReplicaVersionStore>();
        var clock = Stopwatch.StartNew();
        var lastProgress = 0;
        var lastCount = -1;
        var lastChange = Stopwatch.StartNew();
        while (true)
        {
            var committed = await versions.ListAsync("dcB", "/warehouse", cancellationToken).ConfigureAwait(false);
            if (committed.Count >= events)
            {
                var times = committed.Select(v => v.CommittedAt).Order().ToList();
                var from = times[events / 10];
                var to = times[events - 1 - (events / 10)];
                var seconds = (to - from).TotalSeconds;
                var counted = events - 1 - (2 * (events / 10));
                return new Throughput(counted / Math.Max(seconds, 1e-3), seconds);
            }

            if (committed.Count != lastCount)
            {
                lastCount = committed.Count;
                lastChange.Restart();
            }
            else if (lastChange.Elapsed > TimeSpan.FromSeconds(120))
            {
                await Console.Error.WriteLineAsync($"error: {processes} replicator process(es): no new commit record for 120 s ({committed.Count}/{events}).").ConfigureAwait(false);
                return null;
            }

            if (clock.Elapsed.TotalSeconds >= lastProgress + 2)
            {
                lastProgress = (int)clock.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {processes} process(es): {committed.Count}/{events} replicas committed after {clock.Elapsed.TotalSeconds:F0} s"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }
}
